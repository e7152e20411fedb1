/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared between the client TCP files: lists, tuples and the pool.
 */
#ifndef TT_GEN_INTERNAL_H
#define TT_GEN_INTERNAL_H

#include "gen.h"

void gen_list_remove(struct gen *g, struct gen_conn *c);
void gen_list_tail(struct gen *g, struct gen_conn *c, enum gen_list l);
uint32_t gen_tuple_addr(const struct gen *g, uint32_t t);
uint16_t gen_tuple_port(const struct gen *g, uint32_t t);
uint32_t gen_tuple_of(const struct gen *g, const struct net_seg *s);
struct gen_conn *gen_conn_alloc(struct gen *g);
void gen_conn_release(struct gen *g, struct gen_conn *c);
void gen_request_init(struct gen *g);

#endif /* TT_GEN_INTERNAL_H */
