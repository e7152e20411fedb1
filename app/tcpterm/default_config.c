/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The default configuration, embedded at build time. meson passes the
 * file's absolute path as TT_DEFAULT_CONFIG_PATH; the stamp header is
 * regenerated whenever the file changes, so this unit is rebuilt then.
 */
#include "default_config_stamp.h"

__asm__("	.section .rodata\n"
	"	.global tt_default_config\n"
	"	.hidden tt_default_config\n"
	"	.type tt_default_config, @object\n"
	"tt_default_config:\n"
	"	.incbin \"" TT_DEFAULT_CONFIG_PATH "\"\n"
	"	.global tt_default_config_end\n"
	"	.hidden tt_default_config_end\n"
	"	.type tt_default_config_end, @object\n"
	"tt_default_config_end:\n"
	"	.byte 0\n"
	"	.previous\n");
