// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deletes the expectation of a connection from --src (any port) to
 * --dst:--exp-dport with NFCT_Q_DESTROY.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct nf_conntrack *expected;
	struct nfct_handle *h;
	struct nf_expect *exp;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_SRC) | OPTBIT(OPT_DST) |
		   OPTBIT(OPT_PROTO) | OPTBIT(OPT_EXP_DPORT), &a);

	expected = expected_tuple(&a);
	exp = nfexp_new();
	if (!expected || !exp)
		return report("new", -1);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, expected);
	nfct_destroy(expected);

	h = open_handle(EXPECT, 0);
	ret = nfexp_query(h, NFCT_Q_DESTROY, exp);
	ret = report("delete", ret);

	nfct_close(h);
	nfexp_destroy(exp);
	return ret;
}
