/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Positions of YAML nodes. libcyaml reports which field it failed on but
 * not reliably where, so the document is also walked with libyaml's
 * event parser and every mapping key, mapping value and sequence entry
 * is indexed by its path ("listeners[1].port") with its line and column.
 * The walk also catches syntax errors and duplicate keys first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "config_internal.h"

#define CFG_PATH_MAX 256
#define CFG_VALUE_MAX 64
#define CFG_DEPTH_MAX 32

struct walk_frame {
	bool is_map;
	bool want_key;	    /* mapping: the next node is a key */
	unsigned int index; /* sequence: next entry number */
	char path[CFG_PATH_MAX];
	char key_path[CFG_PATH_MAX]; /* mapping: path of the pending value */
};

struct walk {
	struct cfg_index *ix;
	struct cfg_err *e;
	struct walk_frame stack[CFG_DEPTH_MAX];
	int depth;
	unsigned int docs;
};

const struct cfg_node *
cfg_index_find(const struct cfg_index *ix, const char *path)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (strcmp(ix->nodes[i].path, path) == 0)
			return &ix->nodes[i];
	return NULL;
}

void
cfg_index_free(struct cfg_index *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++) {
		free(ix->nodes[i].path);
		free(ix->nodes[i].value);
	}
	free(ix->nodes);
	ix->nodes = NULL;
	ix->n = 0;
	ix->cap = 0;
}

static struct cfg_node *
index_add(struct cfg_index *ix, const char *path)
{
	struct cfg_node *n;

	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 64;

		n = realloc(ix->nodes, cap * sizeof(*n));
		if (n == NULL)
			return NULL;
		ix->nodes = n;
		ix->cap = cap;
	}
	n = &ix->nodes[ix->n];
	memset(n, 0, sizeof(*n));
	n->path = strdup(path);
	if (n->path == NULL)
		return NULL;
	n->key_line = -1;
	n->key_col = -1;
	ix->n++;
	return n;
}

static int
walk_nomem(struct walk *w)
{
	return cfg_err_at(w->e, -1, -1, "out of memory");
}

/* A scalar in key position of a mapping. */
static int
walk_key(struct walk *w, struct walk_frame *f, const yaml_event_t *ev)
{
	const char *key = (const char *)ev->data.scalar.value;
	char path[CFG_PATH_MAX];
	struct cfg_node *n;
	int len;

	if (ev->type != YAML_SCALAR_EVENT)
		return cfg_err_at(w->e, (int)ev->start_mark.line,
				  (int)ev->start_mark.column,
				  "%s%smapping keys must be plain strings",
				  f->path, f->path[0] ? ": " : "");
	len = snprintf(path, sizeof(path), "%s%s%s", f->path,
		       f->path[0] ? "." : "", key);
	if (len < 0 || (size_t)len >= sizeof(path))
		return cfg_err_at(w->e, (int)ev->start_mark.line,
				  (int)ev->start_mark.column,
				  "key path too long");
	if (cfg_index_find(w->ix, path) != NULL)
		return cfg_err_at(w->e, (int)ev->start_mark.line,
				  (int)ev->start_mark.column,
				  "%s: duplicate key '%s'", path, key);
	memcpy(f->key_path, path, sizeof(path));
	n = index_add(w->ix, path);
	if (n == NULL)
		return walk_nomem(w);
	n->key_line = (int)ev->start_mark.line;
	n->key_col = (int)ev->start_mark.column;
	f->want_key = false;
	return 0;
}

/* Path of the node in value position of the top frame (or the root). */
static int
walk_value_path(struct walk *w, char *path, size_t len)
{
	struct walk_frame *f;
	int r;

	if (w->depth == 0) {
		path[0] = '\0';
		return 0;
	}
	f = &w->stack[w->depth - 1];
	if (f->is_map) {
		f->want_key = true;
		r = snprintf(path, len, "%s", f->key_path);
	} else {
		r = snprintf(path, len, "%s[%u]", f->path, f->index++);
	}
	return (r < 0 || (size_t)r >= len) ? -1 : 0;
}

/* A node in value position: record it, descend into collections. */
static int
walk_value(struct walk *w, const yaml_event_t *ev)
{
	char path[CFG_PATH_MAX];
	struct walk_frame *f;
	struct cfg_node *n;

	if (walk_value_path(w, path, sizeof(path)) < 0)
		return cfg_err_at(w->e, (int)ev->start_mark.line,
				  (int)ev->start_mark.column,
				  "nesting too deep");
	n = (struct cfg_node *)cfg_index_find(w->ix, path);
	if (n == NULL && (n = index_add(w->ix, path)) == NULL)
		return walk_nomem(w);
	n->val_line = (int)ev->start_mark.line;
	n->val_col = (int)ev->start_mark.column;
	if (ev->type == YAML_SCALAR_EVENT) {
		n->value = strndup((const char *)ev->data.scalar.value,
				   CFG_VALUE_MAX);
		if (n->value == NULL)
			return walk_nomem(w);
	}
	if (ev->type != YAML_MAPPING_START_EVENT &&
	    ev->type != YAML_SEQUENCE_START_EVENT)
		return 0;
	if (w->depth == CFG_DEPTH_MAX)
		return cfg_err_at(w->e, n->val_line, n->val_col,
				  "nesting too deep");
	f = &w->stack[w->depth++];
	memset(f, 0, sizeof(*f));
	f->is_map = ev->type == YAML_MAPPING_START_EVENT;
	f->want_key = f->is_map;
	memcpy(f->path, path, sizeof(f->path));
	return 0;
}

static int
walk_event(struct walk *w, const yaml_event_t *ev)
{
	struct walk_frame *f;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (w->docs++ > 0)
			return cfg_err_at(w->e, (int)ev->start_mark.line,
					  (int)ev->start_mark.column,
					  "only one YAML document is allowed");
		return 0;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		w->depth--;
		return 0;
	case YAML_SCALAR_EVENT:
	case YAML_ALIAS_EVENT:
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		f = w->depth > 0 ? &w->stack[w->depth - 1] : NULL;
		if (f != NULL && f->is_map && f->want_key)
			return walk_key(w, f, ev);
		return walk_value(w, ev);
	default:
		return 0;
	}
}

/*
 * libyaml's reader (encoding) errors carry a byte offset, not a mark:
 * turn it into the line and column of the offending byte, and name it.
 */
static int
walk_reader_error(struct walk *w, const yaml_parser_t *p, const char *yaml,
		  size_t len)
{
	size_t off = p->problem_offset < len ? p->problem_offset : len;
	int line = 0, col = 0;
	size_t i;

	for (i = 0; i < off; i++, col++) {
		if (yaml[i] == '\n') {
			line++;
			col = -1;
		}
	}
	if (p->problem_value >= 0 && p->problem_value <= 0xff)
		return cfg_err_at(w->e, line, col,
				  "syntax error: %s (byte 0x%02x): the file "
				  "must be UTF-8",
				  p->problem, (unsigned int)p->problem_value);
	return cfg_err_at(w->e, line, col,
			  "syntax error: %s: the file must be UTF-8",
			  p->problem ? p->problem : "invalid encoding");
}

static int
walk_syntax_error(struct walk *w, const yaml_parser_t *p, const char *yaml,
		  size_t len)
{
	if (p->error == YAML_MEMORY_ERROR)
		return walk_nomem(w);
	if (p->error == YAML_READER_ERROR)
		return walk_reader_error(w, p, yaml, len);
	if (p->context != NULL)
		return cfg_err_at(w->e, (int)p->problem_mark.line,
				  (int)p->problem_mark.column,
				  "syntax error: %s %s (line %zu)", p->problem,
				  p->context, p->context_mark.line + 1);
	return cfg_err_at(w->e, (int)p->problem_mark.line,
			  (int)p->problem_mark.column, "syntax error: %s",
			  p->problem ? p->problem : "invalid YAML");
}

int
cfg_index_build(struct cfg_index *ix, const char *yaml, size_t len,
		struct cfg_err *e)
{
	struct walk w = { .ix = ix, .e = e };
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		return walk_nomem(&w);
	yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
	while (rc == 0 && !done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = walk_syntax_error(&w, &p, yaml, len);
			break;
		}
		rc = walk_event(&w, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

static int
err_vformat(struct cfg_err *e, int line, int col, const char *path,
	    const char *fmt, va_list ap)
{
	size_t off = 0;
	int r;

	if (e->buf == NULL || e->len == 0)
		return -1;
	if (line >= 0)
		r = snprintf(e->buf, e->len, "%s:%d:%d: ", e->name, line + 1,
			     col + 1);
	else
		r = snprintf(e->buf, e->len, "%s: ", e->name);
	if (r > 0)
		off = (size_t)r < e->len ? (size_t)r : e->len - 1;
	if (path != NULL && path[0] != '\0') {
		r = snprintf(e->buf + off, e->len - off, "%s: ", path);
		if (r > 0)
			off += (size_t)r < e->len - off ? (size_t)r :
							  e->len - off - 1;
	}
	vsnprintf(e->buf + off, e->len - off, fmt, ap);
	return -1;
}

int
cfg_err_at(struct cfg_err *e, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vformat(e, line, col, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* Drop the last ".key" or "[n]" of path, in place. Returns false at "". */
static bool
path_parent(char *path)
{
	char *dot = strrchr(path, '.');
	char *br = strrchr(path, '[');
	char *cut = dot > br ? dot : br;

	if (path[0] == '\0')
		return false;
	if (cut == NULL)
		cut = path;
	*cut = '\0';
	return true;
}

int
cfg_errf(struct cfg_err *e, const char *path, bool at_key, const char *fmt, ...)
{
	char p[CFG_PATH_MAX];
	const struct cfg_node *n = NULL;
	int line = 0, col = 0;
	va_list ap;

	snprintf(p, sizeof(p), "%s", path);
	do {
		n = e->ix ? cfg_index_find(e->ix, p) : NULL;
	} while (n == NULL && path_parent(p));
	if (n != NULL) {
		bool key = at_key && n->key_line >= 0 && strcmp(p, path) == 0;

		line = key ? n->key_line : n->val_line;
		col = key ? n->key_col : n->val_col;
	}
	va_start(ap, fmt);
	err_vformat(e, line, col, path, fmt, ap);
	va_end(ap);
	return -1;
}
