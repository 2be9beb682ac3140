/* Differential test of nfct_nlmsg_build, nfct_nlmsg_parse,
 * nfct_payload_parse, nfexp_nlmsg_build and nfexp_nlmsg_parse: builds
 * objects with the public setters, prints the encoded messages in hex,
 * decodes them (and hand-made kernel messages) and prints every attribute
 * that ends up set. The output must not depend on which library runs it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

/* Room for any message built here; 4-aligned like a netlink buffer. */
static uint32_t msgbuf[2048];

/* Print width of each conntrack attribute's value: bytes, or a kind. */
enum { STR = -1, BLOB = -2, BITS = -3 };

static int width(int a)
{
	switch (a) {
	case ATTR_ORIG_IPV6_SRC: case ATTR_ORIG_IPV6_DST:
	case ATTR_REPL_IPV6_SRC: case ATTR_REPL_IPV6_DST:
	case ATTR_MASTER_IPV6_SRC: case ATTR_MASTER_IPV6_DST:
	case ATTR_SNAT_IPV6: case ATTR_DNAT_IPV6:
		return 16;
	case ATTR_ORIG_COUNTER_PACKETS: case ATTR_REPL_COUNTER_PACKETS:
	case ATTR_ORIG_COUNTER_BYTES: case ATTR_REPL_COUNTER_BYTES:
	case ATTR_DCCP_HANDSHAKE_SEQ:
	case ATTR_TIMESTAMP_START: case ATTR_TIMESTAMP_STOP:
		return 8;
	case ATTR_ORIG_PORT_SRC: case ATTR_ORIG_PORT_DST:
	case ATTR_REPL_PORT_SRC: case ATTR_REPL_PORT_DST:
	case ATTR_MASTER_PORT_SRC: case ATTR_MASTER_PORT_DST:
	case ATTR_ICMP_ID: case ATTR_SNAT_PORT: case ATTR_DNAT_PORT:
	case ATTR_ZONE: case ATTR_ORIG_ZONE: case ATTR_REPL_ZONE:
		return 2;
	case ATTR_ICMP_TYPE: case ATTR_ICMP_CODE:
	case ATTR_ORIG_L3PROTO: case ATTR_REPL_L3PROTO:
	case ATTR_ORIG_L4PROTO: case ATTR_REPL_L4PROTO:
	case ATTR_MASTER_L3PROTO: case ATTR_MASTER_L4PROTO:
	case ATTR_TCP_STATE: case ATTR_SCTP_STATE: case ATTR_DCCP_STATE:
	case ATTR_DCCP_ROLE:
	case ATTR_TCP_FLAGS_ORIG: case ATTR_TCP_FLAGS_REPL:
	case ATTR_TCP_MASK_ORIG: case ATTR_TCP_MASK_REPL:
	case ATTR_TCP_WSCALE_ORIG: case ATTR_TCP_WSCALE_REPL:
		return 1;
	case ATTR_HELPER_NAME: case ATTR_SECCTX:
		return STR;
	case ATTR_HELPER_INFO:
		return BLOB;
	case ATTR_CONNLABELS: case ATTR_CONNLABELS_MASK:
		return BITS;
	default:
		return 4;
	}
}

/* The reference, 1.0.9, has no ATTR_TIMESTAMP_EVENT: print the attributes
 * both versions have, whichever header this is compiled against. */
#define LAST_COMMON_ATTR ATTR_SYNPROXY_TSOFF

static void print_ct(const struct nf_conntrack *ct)
{
	for (int a = 0; a <= LAST_COMMON_ATTR; a++) {
		const unsigned char *p;
		int w = width(a);

		if (nfct_attr_is_set(ct, a) <= 0)
			continue;
		p = nfct_get_attr(ct, a);
		printf("  attr %d:", a);
		if (p == NULL)
			printf(" (null)");
		else if (w > 0)
			for (int i = 0; i < w; i++)
				printf("%02x", p[i]);
		else if (w == STR)
			printf(" \"%s\"", (const char *)p);
		else if (w == BITS) {
			const struct nfct_bitmask *b = (const void *)p;
			unsigned int max = nfct_bitmask_maxbit(b);

			printf(" maxbit %u bits", max);
			for (unsigned int i = 0; i <= max; i++)
				if (nfct_bitmask_test_bit(b, i))
					printf(" %u", i);
		} else
			printf(" (set)");
		printf("\n");
	}
}

static struct nlmsghdr *new_msg(uint16_t type, uint8_t family)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)msgbuf;
	unsigned char *nfg = (unsigned char *)msgbuf + sizeof(*nlh);

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh->nlmsg_len = sizeof(*nlh) + 4;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	nfg[0] = family;
	return nlh;
}

static void print_msg(const struct nlmsghdr *nlh)
{
	const unsigned char *p = (const unsigned char *)nlh;

	printf("  len %u\n  ", nlh->nlmsg_len);
	for (unsigned int i = 20; i < nlh->nlmsg_len; i++) {
		printf("%02x", p[i]);
		if ((i - 19) % 32 == 0 && i + 1 < nlh->nlmsg_len)
			printf("\n  ");
	}
	printf("\n");
}

/* Builds ct into a message, prints it, parses it back and prints that. */
static void ct_case(const char *name, struct nf_conntrack *ct, int show_errno)
{
	struct nlmsghdr *nlh = new_msg((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW,
				       nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO));
	struct nf_conntrack *back;
	int ret;

	errno = 0;
	ret = nfct_nlmsg_build(nlh, ct);
	printf("%s: build %d", name, ret);
	if (show_errno)
		printf(" errno %d", ret < 0 ? errno : 0);
	printf("\n");
	print_msg(nlh);

	back = nfct_new();
	ret = nfct_nlmsg_parse(nlh, back);
	printf(" parse %d\n", ret);
	print_ct(back);
	nfct_destroy(back);
	nfct_destroy(ct);
}

static struct nf_conntrack *ct_v4(uint8_t l4, const char *src, const char *dst,
				  uint16_t sport, uint16_t dport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr(src));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr(dst));
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, l4);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(dport));
	return ct;
}

static void conntrack_cases(void)
{
	struct in6_addr x, y, z;
	struct nf_conntrack *ct;
	struct nfct_bitmask *b;

	inet_pton(AF_INET6, "2001:db8:1::10", &x);
	inet_pton(AF_INET6, "2001:db8:2::20", &y);
	inet_pton(AF_INET6, "fd00::abcd", &z);

	ct = ct_v4(IPPROTO_TCP, "192.0.2.1", "198.51.100.7", 40000, 443);
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 4);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("198.51.100.7"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("192.0.2.1"));
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(40000));
	nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 6);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0x1c6);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 3600);
	nfct_set_attr_u32(ct, ATTR_MARK, 0x0badcafe);
	nfct_set_attr_u32(ct, ATTR_SECMARK, 17);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, 0x03);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_ORIG, 0x03);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_REPL, 0x02);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_REPL, 0x0f);
	nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_ORIG, 14);
	nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_REPL, 2);
	nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, inet_addr("203.0.113.9"));
	nfct_set_attr_u16(ct, ATTR_SNAT_PORT, htons(61000));
	nfct_set_attr_u16(ct, ATTR_DNAT_PORT, htons(8443));
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_CORRECTION_POS, 7);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE, 8);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_AFTER, 9);
	nfct_set_attr_u32(ct, ATTR_REPL_NAT_SEQ_CORRECTION_POS, 10);
	nfct_set_attr_u32(ct, ATTR_REPL_NAT_SEQ_OFFSET_BEFORE, 11);
	nfct_set_attr_u32(ct, ATTR_REPL_NAT_SEQ_OFFSET_AFTER, 12);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "irc");
	nfct_set_attr_u16(ct, ATTR_ZONE, 300);
	b = nfct_bitmask_new(63);
	nfct_bitmask_set_bit(b, 1);
	nfct_bitmask_set_bit(b, 62);
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	b = nfct_bitmask_new(63);
	nfct_bitmask_set_bit(b, 1);
	nfct_set_attr(ct, ATTR_CONNLABELS_MASK, b);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_ISN, 100);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_ITS, 200);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_TSOFF, 300);
	ct_case("tcp4", ct, 1);

	ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, &x);
	nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, &y);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(5060));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(5060));
	nfct_set_attr_u8(ct, ATTR_MASTER_L3PROTO, AF_INET6);
	nfct_set_attr(ct, ATTR_MASTER_IPV6_SRC, &z);
	nfct_set_attr(ct, ATTR_MASTER_IPV6_DST, &x);
	nfct_set_attr_u8(ct, ATTR_MASTER_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_MASTER_PORT_SRC, htons(1));
	nfct_set_attr_u16(ct, ATTR_MASTER_PORT_DST, htons(2));
	nfct_set_attr(ct, ATTR_SNAT_IPV6, &z);
	nfct_set_attr(ct, ATTR_DNAT_IPV6, &y);
	nfct_set_attr_u16(ct, ATTR_DNAT_PORT, htons(5061));
	nfct_set_attr_u32(ct, ATTR_STATUS, 0);
	ct_case("udp6", ct, 1);

	ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("10.0.0.1"));
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMP);
	nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 13);
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(999));
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_ICMP);
	ct_case("icmp", ct, 1);

	ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMPV6);
	nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 135);
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u32(ct, ATTR_MARK, 5);
	ct_case("icmpv6", ct, 1);

	ct = ct_v4(IPPROTO_SCTP, "10.1.0.1", "10.1.0.2", 2905, 2905);
	nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 3);
	nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_ORIG, 0xcafef00d);
	nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_REPL, 0x12345678);
	ct_case("sctp", ct, 1);

	ct = ct_v4(IPPROTO_DCCP, "10.2.0.1", "10.2.0.2", 5001, 5002);
	nfct_set_attr_u8(ct, ATTR_DCCP_STATE, 2);
	nfct_set_attr_u8(ct, ATTR_DCCP_ROLE, 1);
	nfct_set_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ, 0x1122334455667788ULL);
	ct_case("dccp", ct, 1);

	/* Only some of each group: partial flags, sequence adjustment,
	 * synproxy; a label mask of another size; NAT port for a protocol
	 * without ports. */
	ct = ct_v4(IPPROTO_TCP, "10.3.0.1", "10.3.0.2", 1, 2);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_REPL, 0x01);
	nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_CORRECTION_POS, 1);
	nfct_set_attr_u32(ct, ATTR_SYNPROXY_ITS, 2);
	b = nfct_bitmask_new(31);
	nfct_bitmask_set_bit(b, 5);
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	b = nfct_bitmask_new(200);
	nfct_set_attr(ct, ATTR_CONNLABELS_MASK, b);
	ct_case("partial", ct, 1);

	ct = ct_v4(IPPROTO_GRE, "10.4.0.1", "10.4.0.2", 0, 0);
	nfct_set_attr_u16(ct, ATTR_SNAT_PORT, htons(1));
	nfct_set_attr(ct, ATTR_HELPER_NAME, "a-helper-name-longer-than-the-field");
	ct_case("gre", ct, 1);

	ct = ct_v4(IPPROTO_UDPLITE, "10.5.0.1", "10.5.0.2", 7, 8);
	nfct_set_attr_u32(ct, ATTR_DNAT_IPV4, inet_addr("10.5.5.5"));
	nfct_set_attr_u16(ct, ATTR_DNAT_PORT, htons(9));
	ct_case("udplite", ct, 1);

	/* Failures: no layer-3 protocol; an unknown family (errno is left
	 * alone by the original then, so it is not printed); a reply tuple
	 * without family after a good original tuple; a master tuple without
	 * family, which is dropped. */
	ct = nfct_new();
	nfct_set_attr_u32(ct, ATTR_MARK, 1);
	ct_case("no-l3proto", ct, 1);

	ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_UNSPEC);
	ct_case("unspec", ct, 0);

	ct = ct_v4(IPPROTO_TCP, "10.6.0.1", "10.6.0.2", 1, 2);
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(1));
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 1);
	ct_case("bad-reply", ct, 0);

	ct = ct_v4(IPPROTO_TCP, "10.7.0.1", "10.7.0.2", 1, 2);
	nfct_set_attr_u8(ct, ATTR_MASTER_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 2);
	ct_case("bad-master", ct, 1);
}

static size_t unhex(const char *hex, unsigned char *out)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
	return n;
}

/* Attribute payloads as a kernel sends them in dumps and events. */
static const char *const kernel_payloads[] = {
	/* Tuples (orig with zone, reply, master with zone), status,
	 * protoinfo TCP with an unknown type, timeout, mark, 64- and 32-bit
	 * counters, use, id, deprecated NAT, helper with info, zone, secctx,
	 * timestamps, labels and label mask, synproxy, timestamp event,
	 * unknown types 28 and 0, sequence adjustment. */
	"3c00018014000180080001000a010101080002000a0202021c000280050001000600000006000200"
	"80e800000600030001bb000006000300000500003400028014000180080001000a02020208000200"
	"0a0101011c00028005000100060000000600020001bb00000600030080e800003c000e8014000180"
	"080001000909090908000200080808081c0002800500010011000000060002000001000006000300"
	"0002000006000300004d0000080003000000018e3800048034000180050001000300000005000200"
	"07000000050003000900000006000400233300000600050022440000050006006300000008000700"
	"0006977f0800080000000042240009800c000100000000000000000a0c00020000000000000005dc"
	"080003000000000714000a800800030000000005080004000000025808000b000000000208000c00"
	"abcdef010c0006800800010001010101180005800800010066747000090002000102030405000000"
	"06001200001000002c0013802500010073797374656d5f753a6f626a6563745f723a756e6c616265"
	"6c65645f743a7330000000001c0014800c00010017979cfe362a00000c00020017979cfe71c4ca00"
	"0d00160001000080ff000000100000000c001700ffffffffffffffff1c001880080001000000000b"
	"080002000000001608000300000000210c001b0000000000075bcd150b001c00756e6b6e6f776e00"
	"040000001c000f8008000100000003e808000200000007d00800030000000bb80c00108008000100"
	"00000fa0",

	/* ICMPv6 tuple, DCCP and SCTP protoinfo, mark, and a last attribute
	 * whose length runs past the end (ends the walk quietly). */
	"540001802c00018014000300fd0000000000000000000000000000011400040020010db800000000"
	"000000000000000224000280050001003a0000000500090000000000050008008100000006000700"
	"123400004000048020000280050001000400000005000200020000000c0003000102030405060708"
	"1c0003800500010007000000080002000000000108000300000000ff08000800000000070c000300"
	"00000007",
	/* Shared storage and duplicates: an ICMP type and code after a
	 * destination port, an unknown tuple attribute, a second IP nest, a
	 * mark twice, NLA_F_NET_BYTEORDER on status and zone, empty
	 * protoinfo, helper and secctx nests, a one-byte label set, 32-bit
	 * counters only. */
	"44000180240002800500050003000000060003001234000005000100010000000500060009000000"
	"080009007a7a7a7a1400018008000100070707070800050001020304080008000000000108000800"
	"00000002080003400000001206001240007700000400048004000580040013800500160081000000"
	"140009800800030000000009080004000000000a",
};

static void payload_cases(void)
{
	static unsigned char buf[4096];

	for (size_t i = 0; i < sizeof(kernel_payloads) / sizeof(kernel_payloads[0]); i++) {
		struct nf_conntrack *ct = nfct_new();
		size_t n = unhex(kernel_payloads[i], buf);
		int ret = nfct_payload_parse(buf, n, i ? AF_INET6 : AF_INET, ct);

		printf("payload %zu: parse %d\n", i, ret);
		print_ct(ct);
		nfct_destroy(ct);
	}
}

static void print_tuple(const char *name, const struct nf_expect *exp, int attr)
{
	const struct nf_conntrack *t;

	if (nfexp_attr_is_set(exp, attr) <= 0) {
		printf("  %s unset\n", name);
		return;
	}
	t = nfexp_get_attr(exp, attr);
	printf("  %s:\n", name);
	print_ct(t);
}

static void print_exp(const struct nf_expect *exp)
{
	print_tuple("master", exp, ATTR_EXP_MASTER);
	print_tuple("expected", exp, ATTR_EXP_EXPECTED);
	print_tuple("mask", exp, ATTR_EXP_MASK);
	print_tuple("nat", exp, ATTR_EXP_NAT_TUPLE);
	if (nfexp_attr_is_set(exp, ATTR_EXP_TIMEOUT) > 0)
		printf("  timeout %u\n", nfexp_get_attr_u32(exp, ATTR_EXP_TIMEOUT));
	if (nfexp_attr_is_set(exp, ATTR_EXP_ZONE) > 0)
		printf("  zone %u\n", nfexp_get_attr_u16(exp, ATTR_EXP_ZONE));
	if (nfexp_attr_is_set(exp, ATTR_EXP_FLAGS) > 0)
		printf("  flags %u\n", nfexp_get_attr_u32(exp, ATTR_EXP_FLAGS));
	if (nfexp_attr_is_set(exp, ATTR_EXP_CLASS) > 0)
		printf("  class %u\n", nfexp_get_attr_u32(exp, ATTR_EXP_CLASS));
	if (nfexp_attr_is_set(exp, ATTR_EXP_NAT_DIR) > 0)
		printf("  nat dir %u\n", nfexp_get_attr_u32(exp, ATTR_EXP_NAT_DIR));
	if (nfexp_attr_is_set(exp, ATTR_EXP_HELPER_NAME) > 0)
		printf("  helper \"%s\"\n",
		       (const char *)nfexp_get_attr(exp, ATTR_EXP_HELPER_NAME));
	if (nfexp_attr_is_set(exp, ATTR_EXP_FN) > 0)
		printf("  fn \"%s\"\n", (const char *)nfexp_get_attr(exp, ATTR_EXP_FN));
}

static void expect_cases(void)
{
	struct nf_conntrack *m = ct_v4(IPPROTO_TCP, "10.8.0.1", "10.8.0.2", 50000, 21);
	struct nf_conntrack *e = ct_v4(IPPROTO_TCP, "10.8.0.1", "10.8.0.2", 0, 50100);
	struct nf_conntrack *k = ct_v4(IPPROTO_TCP, "255.255.255.255", "255.255.255.255", 0, 65535);
	struct nf_conntrack *n = ct_v4(IPPROTO_TCP, "10.9.0.1", "10.9.0.2", 3, 4);
	struct nf_conntrack *bad = nfct_new();
	struct nf_expect *exp = nfexp_new(), *back;
	struct nlmsghdr *nlh;
	int ret;

	nfexp_set_attr(exp, ATTR_EXP_MASTER, m);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, e);
	nfexp_set_attr(exp, ATTR_EXP_MASK, k);
	nfexp_set_attr(exp, ATTR_EXP_NAT_TUPLE, n);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 180);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 12);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, 3);
	nfexp_set_attr_u32(exp, ATTR_EXP_CLASS, 2);
	nfexp_set_attr_u32(exp, ATTR_EXP_NAT_DIR, 0);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	nfexp_set_attr(exp, ATTR_EXP_FN, "callback");

	nlh = new_msg((NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, AF_INET);
	ret = nfexp_nlmsg_build(nlh, exp);
	printf("expect: build %d\n", ret);
	print_msg(nlh);
	back = nfexp_new();
	ret = nfexp_nlmsg_parse(nlh, back);
	printf(" parse %d\n", ret);
	print_exp(back);
	nfexp_destroy(back);
	nfexp_destroy(exp);

	/* A tuple without family is left out. */
	nfct_set_attr_u8(bad, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
	exp = nfexp_new();
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, bad);
	nfexp_set_attr(exp, ATTR_EXP_MASK, k);
	nlh = new_msg((NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_NEW, AF_INET);
	ret = nfexp_nlmsg_build(nlh, exp);
	printf("expect-bad: build %d\n", ret);
	print_msg(nlh);
	nfexp_destroy(exp);

	/* A kernel message with class, NAT and function, which the builder
	 * never sends. */
	{
		static const char *hex =
			"38010000000200000100000000000000020000003400018014000180080001000101010108000200"
			"020202021c0002800500010006000000060002000457000006000300001500003400028014000180"
			"080001000101010108000200020202021c0002800500010006000000060002000000000006000300"
			"07d00000340003801400018008000100ffffffff08000200ffffffff1c0002800500010006000000"
			"060002000000000006000300ffff0000080004000000012c08000500000012340800060066747000"
			"06000700000300000800080000000005080009000000000140000a80080001000000000134000280"
			"14000180080001000303030308000200040404041c00028005000100110000000600020000050000"
			"060003000006000016000b006e61742d666f6c6c6f772d6d6173746572000000";
		static unsigned char buf[1024];

		unhex(hex, buf);
		back = nfexp_new();
		ret = nfexp_nlmsg_parse((const struct nlmsghdr *)(void *)buf, back);
		printf("expect-kernel: parse %d\n", ret);
		print_exp(back);
		nfexp_destroy(back);
	}

	nfct_destroy(m);
	nfct_destroy(e);
	nfct_destroy(k);
	nfct_destroy(n);
	nfct_destroy(bad);
}

/* NULL arguments: the original asserts or crashes, so this runs with our
 * library only and is compared with null.expected. */
static void null_cases(void)
{
	struct nf_conntrack *ct = nfct_new();
	struct nf_expect *exp = nfexp_new();
	struct nlmsghdr *nlh = new_msg(0, AF_INET);

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
#define TRY(call) do { \
		int r_; \
		errno = 0; \
		r_ = (call); \
		printf("%s = %d errno %d\n", #call, r_, errno); \
	} while (0)
	TRY(nfct_nlmsg_build(NULL, ct));
	TRY(nfct_nlmsg_build(nlh, NULL));
	TRY(nfct_nlmsg_parse(NULL, ct));
	TRY(nfct_nlmsg_parse(nlh, NULL));
	TRY(nfct_payload_parse(NULL, 4, AF_INET, ct));
	TRY(nfct_payload_parse(NULL, 0, AF_INET, ct));
	TRY(nfct_payload_parse(msgbuf, 4, AF_INET, NULL));
	TRY(nfexp_nlmsg_build(NULL, exp));
	TRY(nfexp_nlmsg_build(nlh, NULL));
	TRY(nfexp_nlmsg_parse(NULL, exp));
	TRY(nfexp_nlmsg_parse(nlh, NULL));
	/* A header shorter than nlmsghdr plus nfgenmsg. */
	nlh->nlmsg_len = 16;
	TRY(nfct_nlmsg_parse(nlh, ct));
	TRY(nfexp_nlmsg_parse(nlh, exp));
#undef TRY
	printf("nlmsg_len %u\n", nlh->nlmsg_len);
	nfct_destroy(ct);
	nfexp_destroy(exp);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "null") == 0) {
		null_cases();
		return 0;
	}
	conntrack_cases();
	payload_cases();
	expect_cases();
	return 0;
}
