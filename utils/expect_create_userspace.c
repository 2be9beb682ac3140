// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates an expectation the way a user-space helper does: flagged
 * NF_CT_EXPECT_USERSPACE, with the helper --helper (ftp) and the
 * expectation function --expfn (nat-follow-master) that the kernel runs
 * when the expected connection arrives. Otherwise as expect_create.
 * Note that the kernel clears NF_CT_EXPECT_USERSPACE on expectations made
 * over ctnetlink, and that the library (1.0.9 and 1.1.1 alike) does not
 * pass ATTR_EXP_FN on to the kernel.
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
		   OPTBIT(OPT_EXP_DPORT) | OPTBIT(OPT_TIMEOUT) |
		   OPTBIT(OPT_HELPER) | OPTBIT(OPT_EXPFN), &a);

	master = master_tuple(&a);
	expected = expected_tuple(&a);
	mask = expected_mask(&a);
	exp = nfexp_new();
	if (!master || !expected || !mask || !exp)
		return report("new", -1);

	nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, expected);
	nfexp_set_attr(exp, ATTR_EXP_MASK, mask);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, a.timeout);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, NF_CT_EXPECT_USERSPACE);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, a.helper);
	nfexp_set_attr(exp, ATTR_EXP_FN, a.expfn);
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
