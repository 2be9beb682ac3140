// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates an expectation with NFCT_Q_CREATE: its master is the conntrack
 * with the options' tuple, which must exist and have a helper (e.g.
 * conntrack_create --helper ftp); it expects a connection from --src,
 * any port, to --dst:--exp-dport, for --timeout seconds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct nf_conntrack *master, *expected, *mask;
	struct nfct_handle *h;
	struct nf_expect *exp;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_SRC) | OPTBIT(OPT_DST) |
		   OPTBIT(OPT_PROTO) | OPTBIT(OPT_SPORT) | OPTBIT(OPT_DPORT) |
		   OPTBIT(OPT_EXP_DPORT) | OPTBIT(OPT_TIMEOUT), &a);

	master = master_tuple(&a);
	expected = expected_tuple(&a);
	mask = expected_mask(&a);
	exp = nfexp_new();
	if (!master || !expected || !mask || !exp)
		return report("new", -1);

	/* the expectation keeps copies of the three tuples */
	nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, expected);
	nfexp_set_attr(exp, ATTR_EXP_MASK, mask);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, a.timeout);
	nfct_destroy(master);
	nfct_destroy(expected);
	nfct_destroy(mask);

	h = open_handle(EXPECT, 0);
	ret = nfexp_query(h, NFCT_Q_CREATE, exp);
	ret = report("create", ret);

	nfct_close(h);
	nfexp_destroy(exp);
	return ret;
}
