// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Looks up the expectation of a connection from --src (any port) to
 * --dst:--exp-dport with NFCT_Q_GET and prints it, then its NAT set-up,
 * flags and expectation function when it has them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>

#include "common.h"

/*
 * nfexp_snprintf() leaves out the NAT set-up, the flags and the
 * expectation function: print those that are set on a line of their own.
 */
static void print_extra(const struct nf_expect *exp)
{
	if (nfexp_attr_is_set(exp, ATTR_EXP_NAT_TUPLE)) {
		const struct nf_conntrack *nat =
			nfexp_get_attr(exp, ATTR_EXP_NAT_TUPLE);
		char addr[INET6_ADDRSTRLEN] = "?";

		if (nfct_get_attr_u8(nat, ATTR_L3PROTO) == AF_INET)
			inet_ntop(AF_INET, nfct_get_attr(nat, ATTR_IPV4_SRC),
				  addr, sizeof(addr));
		else
			inet_ntop(AF_INET6, nfct_get_attr(nat, ATTR_IPV6_SRC),
				  addr, sizeof(addr));
		printf("nat dir=%u src=%s sport=%u\n",
		       nfexp_get_attr_u32(exp, ATTR_EXP_NAT_DIR), addr,
		       ntohs(nfct_get_attr_u16(nat, ATTR_PORT_SRC)));
	}
	if (nfexp_attr_is_set(exp, ATTR_EXP_FLAGS))
		printf("flags=0x%x\n", nfexp_get_attr_u32(exp, ATTR_EXP_FLAGS));
	if (nfexp_attr_is_set(exp, ATTR_EXP_FN))
		printf("fn=%s\n", (const char *)nfexp_get_attr(exp, ATTR_EXP_FN));
}

static int cb(enum nf_conntrack_msg_type type, struct nf_expect *exp,
	      void *data)
{
	unsigned int *count = data;

	/* replies come as NFCT_T_UPDATE: print them without the tag */
	(void)type;
	print_exp(NFCT_T_UNKNOWN, exp);
	print_extra(exp);
	(*count)++;
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct nf_conntrack *expected;
	struct nfct_handle *h;
	struct nf_expect *exp;
	unsigned int count = 0;
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
	nfexp_callback_register(h, NFCT_T_ALL, cb, &count);
	ret = nfexp_query(h, NFCT_Q_GET, exp);
	ret = report_count("get", ret, count);

	nfct_close(h);
	nfexp_destroy(exp);
	return ret;
}
