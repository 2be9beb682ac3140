// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dumps the conntrack entries of one family whose mark matches
 * --mark VALUE[/MASK], filtered by the kernel (nfct_filter_dump with
 * NFCT_Q_DUMP_FILTER).
 */
#include <stdio.h>
#include <stdlib.h>

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
	struct nfct_handle *h;
	unsigned int count = 0;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_FAMILY) | OPTBIT(OPT_MARK), &a);

	filter = nfct_filter_dump_create();
	if (!filter)
		return report("filter", -1);
	if (HAS(&a, OPT_MARK)) {
		struct nfct_filter_dump_mark mark = {
			.val = a.mark, .mask = a.mark_mask,
		};

		nfct_filter_dump_set_attr(filter, NFCT_FILTER_DUMP_MARK, &mark);
	}
	nfct_filter_dump_set_attr_u8(filter, NFCT_FILTER_DUMP_L3NUM,
				     a.dump_family);

	h = open_handle(CONNTRACK, 0);
	nfct_callback_register(h, NFCT_T_ALL, cb, &count);
	ret = nfct_query(h, NFCT_Q_DUMP_FILTER, filter);
	ret = report_count("dump-filter", ret, count);

	nfct_close(h);
	nfct_filter_dump_destroy(filter);
	return ret;
}
