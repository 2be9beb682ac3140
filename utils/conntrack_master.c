// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Creates a master connection with the ftp helper (the options' tuple,
 * by default 1.1.1.1:1025 -> 2.2.2.2:21), then its expected data
 * connection (--src:--sport -> --dst:--exp-dport) tied to it through
 * ATTR_MASTER_*, then reads the data connection back and prints it and
 * the master tuple the kernel reports for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>

#include "common.h"

static void print_master(const struct nf_conntrack *ct)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	int family = nfct_get_attr_u8(ct, ATTR_MASTER_L3PROTO);

	if (!nfct_attr_is_set(ct, ATTR_MASTER_L3PROTO)) {
		printf("master none\n");
		return;
	}
	if (family == AF_INET) {
		inet_ntop(AF_INET, nfct_get_attr(ct, ATTR_MASTER_IPV4_SRC),
			  src, sizeof(src));
		inet_ntop(AF_INET, nfct_get_attr(ct, ATTR_MASTER_IPV4_DST),
			  dst, sizeof(dst));
	} else {
		inet_ntop(AF_INET6, nfct_get_attr(ct, ATTR_MASTER_IPV6_SRC),
			  src, sizeof(src));
		inet_ntop(AF_INET6, nfct_get_attr(ct, ATTR_MASTER_IPV6_DST),
			  dst, sizeof(dst));
	}
	printf("master proto=%u src=%s dst=%s sport=%u dport=%u\n",
	       nfct_get_attr_u8(ct, ATTR_MASTER_L4PROTO), src, dst,
	       ntohs(nfct_get_attr_u16(ct, ATTR_MASTER_PORT_SRC)),
	       ntohs(nfct_get_attr_u16(ct, ATTR_MASTER_PORT_DST)));
}

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
	      void *data)
{
	unsigned int *count = data;

	/* replies come as NFCT_T_UPDATE: print them without the tag */
	(void)type;
	print_ct(NFCT_T_UNKNOWN, ct);
	print_master(ct);
	(*count)++;
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct nf_conntrack *master, *child;
	struct nfct_handle *h;
	unsigned int count = 0;
	struct args a;
	int ret;

	parse_args(argc, argv, OPTBIT(OPT_SRC) | OPTBIT(OPT_DST) |
		   OPTBIT(OPT_SPORT) | OPTBIT(OPT_DPORT) |
		   OPTBIT(OPT_EXP_DPORT) | OPTBIT(OPT_TIMEOUT) |
		   OPTBIT(OPT_HELPER), &a);

	master = nfct_new();
	child = nfct_new();
	if (!master || !child)
		return report("new", -1);

	set_orig_tuple(master, &a);
	nfct_setobjopt(master, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u8(master, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(master, ATTR_TIMEOUT, a.timeout);
	nfct_set_attr(master, ATTR_HELPER_NAME, a.helper);

	set_orig_tuple(child, &a);
	nfct_set_attr_u16(child, ATTR_PORT_DST, htons(a.exp_dport));
	nfct_setobjopt(child, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u8(child, ATTR_TCP_STATE, TCP_CONNTRACK_SYN_SENT);
	nfct_set_attr_u32(child, ATTR_TIMEOUT, a.timeout);
	nfct_set_attr_u8(child, ATTR_MASTER_L3PROTO, a.family);
	if (a.family == AF_INET) {
		nfct_set_attr_u32(child, ATTR_MASTER_IPV4_SRC, a.src.v4.s_addr);
		nfct_set_attr_u32(child, ATTR_MASTER_IPV4_DST, a.dst.v4.s_addr);
	} else {
		nfct_set_attr(child, ATTR_MASTER_IPV6_SRC, &a.src.v6);
		nfct_set_attr(child, ATTR_MASTER_IPV6_DST, &a.dst.v6);
	}
	nfct_set_attr_u8(child, ATTR_MASTER_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(child, ATTR_MASTER_PORT_SRC, htons(a.sport));
	nfct_set_attr_u16(child, ATTR_MASTER_PORT_DST, htons(a.dport));

	h = open_handle(CONNTRACK, 0);
	ret = report("create-master", nfct_query(h, NFCT_Q_CREATE, master));
	if (ret == 0)
		ret = report("create-expected",
			     nfct_query(h, NFCT_Q_CREATE, child));
	if (ret == 0) {
		nfct_callback_register(h, NFCT_T_ALL, cb, &count);
		ret = nfct_query(h, NFCT_Q_GET, child);
		ret = report_count("get-expected", ret, count);
	}

	nfct_close(h);
	nfct_destroy(child);
	nfct_destroy(master);
	return ret;
}
