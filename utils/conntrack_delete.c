// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deletes the conntrack entry with the given original tuple (and zone)
 * with NFCT_Q_DESTROY.
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
		   OPTBIT(OPT_ZONE), &a);

	ct = nfct_new();
	if (!ct)
		return report("new", -1);
	set_orig_tuple(ct, &a);
	if (HAS(&a, OPT_ZONE))
		nfct_set_attr_u16(ct, ATTR_ZONE, a.zone);

	h = open_handle(CONNTRACK, 0);
	ret = nfct_query(h, NFCT_Q_DESTROY, ct);
	ret = report("delete", ret);

	nfct_close(h);
	nfct_destroy(ct);
	return ret;
}
