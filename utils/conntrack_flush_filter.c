// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deletes the conntrack entries of one family whose mark matches
 * --mark VALUE[/MASK] and, with --zone, that are in that zone:
 * NFCT_Q_FLUSH_FILTER. Needs the 1.1 API.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct nfct_filter_dump *filter;
	struct nfct_handle *h;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_FAMILY) | OPTBIT(OPT_MARK) |
		   OPTBIT(OPT_ZONE), &a);

	filter = nfct_filter_dump_create();
	if (!filter)
		return report("filter", -1);
	if (HAS(&a, OPT_MARK)) {
		struct nfct_filter_dump_mark mark = {
			.val = a.mark, .mask = a.mark_mask,
		};

		nfct_filter_dump_set_attr(filter, NFCT_FILTER_DUMP_MARK, &mark);
	}
	if (HAS(&a, OPT_ZONE))
		nfct_filter_dump_set_attr_u16(filter, NFCT_FILTER_DUMP_ZONE,
					      a.zone);
	nfct_filter_dump_set_attr_u8(filter, NFCT_FILTER_DUMP_L3NUM,
				     a.dump_family);

	h = open_handle(CONNTRACK, 0);
	ret = nfct_query(h, NFCT_Q_FLUSH_FILTER, filter);
	ret = report("flush-filter", ret);

	nfct_close(h);
	nfct_filter_dump_destroy(filter);
	return ret;
}
