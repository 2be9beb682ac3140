// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Changes the mark and/or the timeout of the conntrack entry with the
 * given original tuple (and zone) with NFCT_Q_UPDATE.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct nfct_handle *h;
	struct nf_conntrack *ct;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_SRC) | OPTBIT(OPT_DST) |
		   OPTBIT(OPT_PROTO) | OPTBIT(OPT_SPORT) | OPTBIT(OPT_DPORT) |
		   OPTBIT(OPT_ZONE) | OPTBIT(OPT_MARK) | OPTBIT(OPT_TIMEOUT),
		   &a);
	if (!HAS(&a, OPT_MARK) && !HAS(&a, OPT_TIMEOUT)) {
		fprintf(stderr, "%s: give --mark and/or --timeout\n", argv[0]);
		return 2;
	}

	ct = nfct_new();
	if (!ct)
		return report("new", -1);
	set_orig_tuple(ct, &a);
	if (HAS(&a, OPT_ZONE))
		nfct_set_attr_u16(ct, ATTR_ZONE, a.zone);
	if (HAS(&a, OPT_MARK))
		nfct_set_attr_u32(ct, ATTR_MARK, a.mark);
	if (HAS(&a, OPT_TIMEOUT))
		nfct_set_attr_u32(ct, ATTR_TIMEOUT, a.timeout);

	h = open_handle(CONNTRACK, 0);
	ret = nfct_query(h, NFCT_Q_UPDATE, ct);
	ret = report("update", ret);

	nfct_close(h);
	nfct_destroy(ct);
	return ret;
}
