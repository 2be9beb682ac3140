// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates an expectation as expect_create does, with a NAT set-up for
 * the expected connection: its source is rewritten to
 * --snat[:--snat-port] (ATTR_EXP_NAT_TUPLE, ATTR_EXP_NAT_DIR original).
 * Note that the library (1.0.9 and 1.1.1 alike) does not pass the NAT
 * attributes on to the kernel when it creates the expectation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>

#include "common.h"

int main(int argc, char **argv)
{
	struct nf_conntrack *master, *expected, *mask, *nat;
	struct nfct_handle *h;
	struct nf_expect *exp;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_SRC) | OPTBIT(OPT_DST) |
		   OPTBIT(OPT_PROTO) | OPTBIT(OPT_SPORT) | OPTBIT(OPT_DPORT) |
		   OPTBIT(OPT_EXP_DPORT) | OPTBIT(OPT_TIMEOUT) |
		   OPTBIT(OPT_SNAT) | OPTBIT(OPT_SNAT_PORT), &a);
	if (!HAS(&a, OPT_SNAT)) {
		fprintf(stderr, "%s: give --snat\n", argv[0]);
		return 2;
	}

	master = master_tuple(&a);
	expected = expected_tuple(&a);
	mask = expected_mask(&a);
	nat = nfct_new();
	exp = nfexp_new();
	if (!master || !expected || !mask || !nat || !exp)
		return report("new", -1);

	nfct_set_attr_u8(nat, ATTR_L3PROTO, a.family);
	if (a.family == AF_INET) {
		nfct_set_attr_u32(nat, ATTR_IPV4_SRC, a.snat.v4.s_addr);
		nfct_set_attr_u32(nat, ATTR_IPV4_DST, 0);
	} else {
		nfct_set_attr(nat, ATTR_IPV6_SRC, &a.snat.v6);
		nfct_set_attr(nat, ATTR_IPV6_DST, &in6addr_any);
	}
	nfct_set_attr_u8(nat, ATTR_L4PROTO, a.proto);
	nfct_set_attr_u16(nat, ATTR_PORT_SRC, htons(a.snat_port));
	nfct_set_attr_u16(nat, ATTR_PORT_DST, 0);

	nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, expected);
	nfexp_set_attr(exp, ATTR_EXP_MASK, mask);
	nfexp_set_attr(exp, ATTR_EXP_NAT_TUPLE, nat);
	/* the attribute is read as 32 bits, whatever its header comment says */
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, NFCT_DIR_ORIGINAL);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, a.timeout);
	nfct_destroy(master);
	nfct_destroy(expected);
	nfct_destroy(mask);
	nfct_destroy(nat);

	h = open_handle(EXPECT, 0);
	ret = nfexp_query(h, NFCT_Q_CREATE, exp);
	ret = report("create", ret);

	nfct_close(h);
	nfexp_destroy(exp);
	return ret;
}
