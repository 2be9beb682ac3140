// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dumps the conntrack entries matching a zone (--zone) and/or parts of
 * the original tuple (whichever of --src, --dst, --proto, --sport,
 * --dport are given), filtered by the kernel with NFCT_FILTER_DUMP_ZONE
 * and NFCT_FILTER_DUMP_TUPLE. Needs the 1.1 API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>

#include "common.h"

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
	      void *data)
{
	unsigned int *count = data;

	/* replies come as NFCT_T_UPDATE: print them without the tag */
	(void)type;
	print_ct(NFCT_T_UNKNOWN, ct);
	(*count)++;
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct nfct_filter_dump *filter;
	struct nf_conntrack *tuple;
	struct nfct_handle *h;
	unsigned int count = 0;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_ZONE) | OPTBIT(OPT_SRC) |
		   OPTBIT(OPT_DST) | OPTBIT(OPT_PROTO) | OPTBIT(OPT_SPORT) |
		   OPTBIT(OPT_DPORT), &a);

	filter = nfct_filter_dump_create();
	tuple = nfct_new();
	if (!filter || !tuple)
		return report("new", -1);

	if (HAS(&a, OPT_ZONE))
		nfct_filter_dump_set_attr_u16(filter, NFCT_FILTER_DUMP_ZONE,
					      a.zone);

	/* Only the attributes set in the tuple take part in the match. */
	nfct_set_attr_u8(tuple, ATTR_L3PROTO, a.family);
	if (HAS(&a, OPT_SRC)) {
		if (a.family == AF_INET)
			nfct_set_attr_u32(tuple, ATTR_IPV4_SRC, a.src.v4.s_addr);
		else
			nfct_set_attr(tuple, ATTR_IPV6_SRC, &a.src.v6);
	}
	if (HAS(&a, OPT_DST)) {
		if (a.family == AF_INET)
			nfct_set_attr_u32(tuple, ATTR_IPV4_DST, a.dst.v4.s_addr);
		else
			nfct_set_attr(tuple, ATTR_IPV6_DST, &a.dst.v6);
	}
	if (HAS(&a, OPT_PROTO) || HAS(&a, OPT_SPORT) || HAS(&a, OPT_DPORT))
		nfct_set_attr_u8(tuple, ATTR_L4PROTO, a.proto);
	if (HAS(&a, OPT_SPORT))
		nfct_set_attr_u16(tuple, ATTR_PORT_SRC, htons(a.sport));
	if (HAS(&a, OPT_DPORT))
		nfct_set_attr_u16(tuple, ATTR_PORT_DST, htons(a.dport));
	nfct_filter_dump_set_attr(filter, NFCT_FILTER_DUMP_TUPLE, tuple);

	h = open_handle(CONNTRACK, 0);
	nfct_callback_register(h, NFCT_T_ALL, cb, &count);
	ret = nfct_query(h, NFCT_Q_DUMP_FILTER, filter);
	ret = report_count("dump-filter", ret, count);

	nfct_close(h);
	nfct_destroy(tuple);
	nfct_filter_dump_destroy(filter);
	return ret;
}
