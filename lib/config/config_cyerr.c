/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Explaining a failed libcyaml load. libcyaml logs a message such as
 * "Load: Invalid UINT value: 'x'" followed by a backtrace ("in mapping
 * field 'port'", "in sequence entry '2'", ...). The backtrace gives the
 * node's path; the path gives the position (from the index) and the
 * expected type (from the schema), which make the message for the user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

#define PATH_MAX_LEN 256
#define FRAMES_MAX 32
#define DESC_MAX 256
/* Every key of the largest section (tcp), with room to grow. */
#define KEYS_MAX 1024

struct cy_frame {
	char key[64]; /* mapping field; "" otherwise */
	long entry;   /* sequence entry, 1-based; 0 otherwise */
};

struct cy_report {
	char msg[256];
	struct cy_frame frames[FRAMES_MAX]; /* innermost first */
	unsigned int n;
};

static void
copy_until(char *dst, size_t len, const char *src, char stop)
{
	size_t i;

	for (i = 0;
	     i + 1 < len && src[i] != '\0' && src[i] != stop && src[i] != '\n';
	     i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

static void
parse_frame(struct cy_report *r, const char *line)
{
	static const char field[] = "in mapping field '";
	static const char entry[] = "in sequence entry '";
	struct cy_frame *f;

	if (r->n == FRAMES_MAX || strncmp(line, "in ", 3) != 0)
		return;
	f = &r->frames[r->n];
	memset(f, 0, sizeof(*f));
	if (strncmp(line, field, sizeof(field) - 1) == 0)
		copy_until(f->key, sizeof(f->key), line + sizeof(field) - 1,
			   '\'');
	else if (strncmp(line, entry, sizeof(entry) - 1) == 0)
		f->entry = strtol(line + sizeof(entry) - 1, NULL, 10);
	else
		return; /* "in mapping": adds nothing to the path */
	r->n++;
}

static void
parse_log(struct cy_report *r, const char *log)
{
	const char *line = log;

	memset(r, 0, sizeof(*r));
	while (line != NULL && *line != '\0') {
		const char *s = line;

		if (strncmp(s, "Load: ", 6) == 0)
			s += 6;
		while (*s == ' ')
			s++;
		if (strncmp(s, "in ", 3) == 0)
			parse_frame(r, s);
		else if (r->msg[0] == '\0' && strncmp(s, "Backtrace", 9) != 0)
			copy_until(r->msg, sizeof(r->msg), s, '\0');
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
}

static void
build_path(const struct cy_report *r, char *path, size_t len)
{
	size_t off = 0;
	unsigned int i;
	int w;

	path[0] = '\0';
	for (i = r->n; i-- > 0 && off < len;) {
		const struct cy_frame *f = &r->frames[i];

		if (f->key[0] != '\0')
			w = snprintf(path + off, len - off, "%s%s",
				     off ? "." : "", f->key);
		else
			w = snprintf(path + off, len - off, "[%ld]",
				     f->entry - 1);
		if (w > 0)
			off += (size_t)w;
	}
}

/* Schema of the node at path, or NULL. */
static const cyaml_schema_value_t *
schema_at(const char *path)
{
	const cyaml_schema_value_t *v = &cfg_schema;
	const cyaml_schema_field_t *f;
	char key[64];

	while (*path != '\0' && v != NULL) {
		if (*path == '[') {
			if (v->type != CYAML_SEQUENCE)
				return NULL;
			v = v->sequence.entry;
			path = strchr(path, ']');
			if (path == NULL)
				return NULL;
			path++;
			continue;
		}
		if (*path == '.')
			path++;
		copy_until(key, sizeof(key), path, '.');
		key[strcspn(key, "[")] = '\0';
		path += strlen(key);
		if (v->type != CYAML_MAPPING)
			return NULL;
		for (f = v->mapping.fields; f->key != NULL; f++)
			if (strcmp(f->key, key) == 0)
				break;
		v = f->key != NULL ? &f->value : NULL;
	}
	return v;
}

static void
join_strings(char *buf, size_t len, const cyaml_strval_t *s, uint32_t n)
{
	size_t off = strlen(buf);
	uint32_t i;
	int w;

	for (i = 0; i < n && off < len; i++) {
		w = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
			     s[i].str);
		if (w > 0)
			off += (size_t)w;
	}
}

/* What the schema expects at a node, in words. */
static void
describe(const cyaml_schema_value_t *v, char *buf, size_t len)
{
	buf[0] = '\0';
	if (v == NULL) {
		snprintf(buf, len, "a valid value");
		return;
	}
	switch (v->type) {
	case CYAML_UINT:
		snprintf(buf, len, "an unsigned integer");
		break;
	case CYAML_INT:
		snprintf(buf, len, "an integer");
		break;
	case CYAML_BOOL:
		snprintf(buf, len, "true or false");
		break;
	case CYAML_ENUM:
		if (v->enumeration.strings == cfg_bool_strings) {
			snprintf(buf, len, "true or false");
			break;
		}
		snprintf(buf, len, "one of: ");
		join_strings(buf, len, v->enumeration.strings,
			     v->enumeration.count);
		break;
	case CYAML_STRING:
		snprintf(buf, len, "a string");
		break;
	case CYAML_MAPPING:
		snprintf(buf, len, "a mapping");
		break;
	case CYAML_SEQUENCE:
		snprintf(buf, len, "a list");
		break;
	default:
		snprintf(buf, len, "a valid value");
		break;
	}
}

static const char *
event_name(const char *ev)
{
	if (strncmp(ev, "SCALAR", 6) == 0)
		return "a scalar";
	if (strncmp(ev, "SEQUENCE", 8) == 0)
		return "a list";
	if (strncmp(ev, "MAPPING", 7) == 0)
		return "a mapping";
	return ev;
}

static int
unknown_key(struct cfg_err *e, const char *path, const char *key)
{
	const cyaml_schema_value_t *v = schema_at(path);
	const cyaml_schema_field_t *f;
	char full[PATH_MAX_LEN + 72];
	char keys[KEYS_MAX] = "";
	size_t off = 0;
	int w;

	snprintf(full, sizeof(full), "%.255s%s%.63s", path, path[0] ? "." : "",
		 key);
	if (v != NULL && v->type == CYAML_MAPPING) {
		for (f = v->mapping.fields;
		     f->key != NULL && off < sizeof(keys); f++) {
			w = snprintf(keys + off, sizeof(keys) - off, "%s%s",
				     off ? ", " : "", f->key);
			if (w > 0)
				off += (size_t)w;
		}
	}
	return cfg_errf(e, full, true, "unknown key '%s' (valid keys: %s)", key,
			keys);
}

/* Whether the schema wants an integer at path. */
static bool
is_integer(const char *path)
{
	const cyaml_schema_value_t *v = schema_at(path);

	return v != NULL && (v->type == CYAML_UINT || v->type == CYAML_INT);
}

/* A decimal number libcyaml refused as an integer: past 64 bits. */
static bool
all_digits(const char *v)
{
	return v != NULL && v[0] != '\0' && v[strspn(v, "0123456789")] == '\0';
}

int
cfg_cyaml_error(const char *log, struct cfg_err *e)
{
	const struct cfg_node *n;
	struct cy_report r;
	char path[PATH_MAX_LEN];
	char want[DESC_MAX];
	const char *p;

	parse_log(&r, log);
	build_path(&r, path, sizeof(path));
	describe(schema_at(path), want, sizeof(want));
	if (strncmp(r.msg, "Unexpected key: ", 16) == 0)
		return unknown_key(e, path, r.msg + 16);
	if (strncmp(r.msg, "Invalid ", 8) == 0 && strstr(r.msg, " value")) {
		n = cfg_index_find(e->ix, path);
		if (n != NULL && all_digits(n->value) && is_integer(path))
			return cfg_errf(e, path, false,
					"'%s' is too large (expected %s of "
					"at most 64 bits)",
					n->value, want);
		return cfg_errf(e, path, false,
				"invalid value '%s' (expected %s)",
				n && n->value ? n->value : "", want);
	}
	if (strncmp(r.msg, "Expecting ", 10) == 0 &&
	    (p = strstr(r.msg, "got event: ")) != NULL) {
		if (path[0] == '\0')
			snprintf(want, sizeof(want), "a mapping");
		return cfg_errf(e, path, false, "expected %s, got %s", want,
				event_name(p + 11));
	}
	if (strncmp(r.msg, "Excessive entries", 17) == 0)
		return cfg_errf(e, path, false, "too many entries");
	return cfg_errf(e, path, false, "%s",
			r.msg[0] ? r.msg : "invalid configuration");
}
