/* Differential test of the conntrack object API: attributes, groups,
 * object options, copy and comparison. Prints everything it observes;
 * the output must be the same with the original library and with ours.
 *
 * Usage: ctattr [main|labels|null]
 *   main    everything that needs no other part of the library
 *   labels  label sets (needs the nfct_bitmask_* functions)
 *   null    NULL arguments (ours only: the original asserts)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* Attribute ids known to both 1.0.9 and 1.1.1 (ATTR_TIMESTAMP_EVENT,
 * 75, only exists in 1.1.1). */
#define NATTR 75
#define NGRP 16

/* Value kinds, from the header comments of enum nf_conntrack_attr. */
enum { K8 = 1, K16 = 2, K32 = 4, K64 = 8, KADDR = 16, KSTR, KCTX, KINFO, KLBL };

/* Print " name=value errno=N" for one call, evaluating the call before
 * reading errno (printf's arguments have no evaluation order). */
#define SHOWX(name, expr) do { errno = 0; unsigned long long v_ = (expr); int e_ = errno; \
	printf(" %s=%llx errno=%d", name, v_, e_); } while (0)
#define SHOWD(name, expr) do { errno = 0; long long v_ = (expr); int e_ = errno; \
	printf(" %s=%lld errno=%d", name, v_, e_); } while (0)

static int kind(int a)
{
	switch (a) {
	case ATTR_ORIG_IPV6_SRC: case ATTR_ORIG_IPV6_DST:
	case ATTR_REPL_IPV6_SRC: case ATTR_REPL_IPV6_DST:
	case ATTR_MASTER_IPV6_SRC: case ATTR_MASTER_IPV6_DST:
	case ATTR_SNAT_IPV6: case ATTR_DNAT_IPV6:
		return KADDR;
	case ATTR_ORIG_PORT_SRC: case ATTR_ORIG_PORT_DST:
	case ATTR_REPL_PORT_SRC: case ATTR_REPL_PORT_DST:
	case ATTR_ICMP_ID: case ATTR_SNAT_PORT: case ATTR_DNAT_PORT:
	case ATTR_MASTER_PORT_SRC: case ATTR_MASTER_PORT_DST:
	case ATTR_ZONE: case ATTR_ORIG_ZONE: case ATTR_REPL_ZONE:
		return K16;
	case ATTR_ICMP_TYPE: case ATTR_ICMP_CODE: case ATTR_ORIG_L3PROTO:
	case ATTR_REPL_L3PROTO: case ATTR_ORIG_L4PROTO: case ATTR_REPL_L4PROTO:
	case ATTR_TCP_STATE: case ATTR_TCP_FLAGS_ORIG: case ATTR_TCP_FLAGS_REPL:
	case ATTR_TCP_MASK_ORIG: case ATTR_TCP_MASK_REPL:
	case ATTR_MASTER_L3PROTO: case ATTR_MASTER_L4PROTO:
	case ATTR_SCTP_STATE: case ATTR_DCCP_STATE: case ATTR_DCCP_ROLE:
	case ATTR_TCP_WSCALE_ORIG: case ATTR_TCP_WSCALE_REPL:
		return K8;
	case ATTR_ORIG_COUNTER_PACKETS: case ATTR_REPL_COUNTER_PACKETS:
	case ATTR_ORIG_COUNTER_BYTES: case ATTR_REPL_COUNTER_BYTES:
	case ATTR_DCCP_HANDSHAKE_SEQ: case ATTR_TIMESTAMP_START:
	case ATTR_TIMESTAMP_STOP:
		return K64;
	case ATTR_HELPER_NAME:
		return KSTR;
	case ATTR_SECCTX:
		return KCTX;
	case ATTR_HELPER_INFO:
		return KINFO;
	case ATTR_CONNLABELS: case ATTR_CONNLABELS_MASK:
		return KLBL;
	default:
		return K32;
	}
}

static void print_set(const char *tag, const struct nf_conntrack *ct)
{
	int a;

	printf("%s set:", tag);
	for (a = 0; a < NATTR; a++)
		if (nfct_attr_is_set(ct, a) == 1)
			printf(" %d", a);
	printf("\n");
}

static void print_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

/* Prints every set attribute with its value. Helper info only shows
 * whether it has storage: upstream never records the length of helper
 * info set through the API, so its copies are empty (ours keep the
 * bytes); the bytes are checked where they are set. */
static void dump(const char *tag, const struct nf_conntrack *ct)
{
	int a;

	print_set(tag, ct);
	for (a = 0; a < NATTR; a++) {
		const void *p;

		if (nfct_attr_is_set(ct, a) != 1)
			continue;
		errno = 0;
		p = nfct_get_attr(ct, a);
		printf("  %d=", a);
		if (p == NULL) {
			printf("NULL errno=%d\n", errno);
			continue;
		}
		switch (kind(a)) {
		case K8: printf("%02x", *(const uint8_t *)p); break;
		case K16: printf("%04x", *(const uint16_t *)p); break;
		case K32: printf("%08x", *(const uint32_t *)p); break;
		case K64: printf("%016llx", (unsigned long long)*(const uint64_t *)p); break;
		case KADDR: print_bytes(p, 16); break;
		case KSTR: case KCTX: printf("'%s'", (const char *)p); break;
		case KINFO: printf("info"); break;
		case KLBL: printf("labels"); break;
		}
		printf("\n");
	}
}

/* Reads attribute a with every getter. Getters wider than the value
 * read the next fields of the object, as the original does. */
static void read_all(const struct nf_conntrack *ct, int a)
{
	int k = kind(a);
	int w = 8;
	const void *p;

	errno = 0;
	p = nfct_get_attr(ct, a);
	printf("  get=%s errno=%d", p ? "ptr" : "NULL", errno);
	if (k == KCTX || k == KINFO || k == KLBL) {
		/* Only NULL-ness: the value behind may be short. */
		if (p == NULL)
			SHOWX("u32", nfct_get_attr_u32(ct, a));
		printf("\n");
		return;
	}
	SHOWX("u8", nfct_get_attr_u8(ct, a));
	if (w >= 2)
		SHOWX("u16", nfct_get_attr_u16(ct, a));
	if (w >= 4)
		SHOWX("u32", nfct_get_attr_u32(ct, a));
	if (w >= 8)
		SHOWX("u64", nfct_get_attr_u64(ct, a));
	printf("\n");
}

static void set_typed(struct nf_conntrack *ct, int a, int salt)
{
	unsigned char addr[16];
	char name[40];
	int i;

	switch (kind(a)) {
	case K8: nfct_set_attr_u8(ct, a, 0x80 | (a + salt)); break;
	case K16: nfct_set_attr_u16(ct, a, 0x1100 + a + salt); break;
	case K32: nfct_set_attr_u32(ct, a, 0x01020300 + a + salt); break;
	case K64: nfct_set_attr_u64(ct, a, 0x0102030405060700ULL + a + salt); break;
	case KADDR:
		for (i = 0; i < 16; i++)
			addr[i] = a + salt + i;
		nfct_set_attr(ct, a, addr);
		break;
	case KSTR:
		snprintf(name, sizeof(name), "helper-%d", salt);
		nfct_set_attr(ct, a, name);
		break;
	case KCTX: nfct_set_attr(ct, a, "system_u:object_r:ctx"); break;
	case KINFO: nfct_set_attr_l(ct, a, "\x01\x02\x03\x04\x05", 5); break;
	case KLBL: break;
	}
}

static struct nf_conntrack *rich(void);

static void test_each_attribute(void)
{
	int a;

	printf("== each attribute\n");
	for (a = 0; a < NATTR; a++) {
		struct nf_conntrack *ct;

		if (kind(a) == KLBL)
			continue;
		ct = nfct_new();
		printf("attr %d\n", a);
		set_typed(ct, a, 0);
		print_set(" after set", ct);
		read_all(ct, a);
		printf("  unset=%d\n", nfct_attr_unset(ct, a));
		print_set(" after unset", ct);
		read_all(ct, a);
		/* Set again through the pointer setters. */
		set_typed(ct, a, 3);
		read_all(ct, a);
		nfct_destroy(ct);
	}
}

static void test_wide_reads(void)
{
	struct nf_conntrack *ct = rich();
	int a;

	printf("== wide reads\n");
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0x99);
	for (a = 0; a < NATTR; a++) {
		if (kind(a) >= KCTX)
			continue;
		printf("attr %d", a);
		read_all(ct, a);
	}
	nfct_destroy(ct);
}

static void test_pointer_setters(void)
{
	struct nf_conntrack *ct = nfct_new();
	uint32_t v32 = 0x0a0b0c0d;
	uint64_t v64 = 0x1122334455667788ULL;
	uint16_t v16 = 0xbeef;
	uint8_t v8 = 0x42;
	const void *p;
	int e;

	printf("== pointer setters\n");
	nfct_set_attr(ct, ATTR_MARK, &v32);
	nfct_set_attr(ct, ATTR_ORIG_COUNTER_BYTES, &v64);
	nfct_set_attr(ct, ATTR_DCCP_HANDSHAKE_SEQ, &v64);
	nfct_set_attr(ct, ATTR_ZONE, &v16);
	nfct_set_attr(ct, ATTR_TCP_STATE, &v8);
	nfct_set_attr_l(ct, ATTR_TIMEOUT, &v32, 1);
	nfct_set_attr_l(ct, ATTR_ID, &v64, 8);
	nfct_set_attr_l(ct, ATTR_ORIG_PORT_SRC, &v32, 4);
	nfct_set_attr_l(ct, ATTR_HELPER_NAME, "0123456789abcdefghij", 3);
	dump("ptr", ct);
	/* nfct_set_attr_uN with a wider value than the attribute. */
	nfct_set_attr_u32(ct, ATTR_ORIG_PORT_DST, 0x12345678);
	nfct_set_attr_u64(ct, ATTR_SECMARK, 0x1122334455667788ULL);
	nfct_set_attr_u16(ct, ATTR_ORIG_L3PROTO, 0x0a02);
	nfct_set_attr_u32(ct, ATTR_HELPER_NAME, 0x00636261);
	dump("wide", ct);
	/* Helper info: length as given; nfct_set_attr gives length 0. */
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, "abcdefgh", 8);
	p = nfct_get_attr(ct, ATTR_HELPER_INFO);
	printf("info8 %.8s\n", (const char *)p);
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, "wxyz", 4);
	p = nfct_get_attr(ct, ATTR_HELPER_INFO);
	printf("info4 %.4s\n", (const char *)p);
	nfct_set_attr(ct, ATTR_HELPER_INFO, "ignored");
	p = nfct_get_attr(ct, ATTR_HELPER_INFO);
	printf("info0 %s\n", p ? "ptr" : "NULL");
	nfct_set_attr_u32(ct, ATTR_HELPER_INFO, 0x64636261);
	p = nfct_get_attr(ct, ATTR_HELPER_INFO);
	printf("info-u32 %.4s\n", (const char *)p);
	/* Secctx: only marked. */
	errno = 0;
	nfct_set_attr(ct, ATTR_SECCTX, "user_u:role_r:type_t");
	p = nfct_get_attr(ct, ATTR_SECCTX);
	e = errno;
	printf("secctx set=%d get=%s errno=%d\n", nfct_attr_is_set(ct, ATTR_SECCTX),
	       p ? "ptr" : "NULL", e);
	/* Helper names: truncation, shorter after longer. */
	nfct_set_attr(ct, ATTR_HELPER_NAME, "abcdefghijklmnopqrstuvwxyz");
	printf("name '%s'\n", (const char *)nfct_get_attr(ct, ATTR_HELPER_NAME));
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	p = nfct_get_attr(ct, ATTR_HELPER_NAME);
	printf("name '%s' tail '%s'\n", (const char *)p, (const char *)p + 4);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "");
	printf("name '%s' u32=%x\n", (const char *)nfct_get_attr(ct, ATTR_HELPER_NAME),
	       nfct_get_attr_u32(ct, ATTR_HELPER_NAME));
	nfct_destroy(ct);
}

static void test_aliases(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char v6[16];
	int i;

	printf("== aliases\n");
	for (i = 0; i < 16; i++)
		v6[i] = 0xa0 + i;
	nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, v6);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("10.0.0.1"));
	nfct_set_attr(ct, ATTR_SNAT_IPV6, v6);
	nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, inet_addr("10.9.9.9"));
	nfct_set_attr(ct, ATTR_MASTER_IPV6_DST, v6);
	nfct_set_attr_u32(ct, ATTR_MASTER_IPV4_DST, 7);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
	nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 9);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1000));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, 0x11);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_ORIG, 0x22);
	nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_REPL, 0x33);
	nfct_set_attr_u8(ct, ATTR_TCP_MASK_REPL, 0x44);
	nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_ORIG, 0x55);
	nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_REPL, 0x66);
	dump("tcp", ct);
	nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 4);
	nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_REPL, 0x77777777);
	dump("sctp", ct);
	nfct_set_attr_u8(ct, ATTR_DCCP_ROLE, 1);
	nfct_set_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ, 0x0102030405060708ULL);
	nfct_set_attr_u16(ct, ATTR_ICMP_ID, 0x4321);
	/* Mark every protocol-info attribute to read the union back. */
	nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
	nfct_attr_unset(ct, ATTR_ORIG_IPV6_DST);
	dump("dccp", ct);
	nfct_set_attr_u16(ct, ATTR_ZONE, 1);
	nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 2);
	nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 3);
	printf("zones %u %u %u\n", nfct_get_attr_u16(ct, ATTR_ZONE),
	       nfct_get_attr_u16(ct, ATTR_ORIG_ZONE), nfct_get_attr_u16(ct, ATTR_REPL_ZONE));
	/* Marked-only attributes read back zero. */
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_PACKETS, 5);
	nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_BYTES, 5);
	nfct_set_attr_u32(ct, ATTR_USE, 5);
	nfct_set_attr_u64(ct, ATTR_TIMESTAMP_START, 5);
	nfct_set_attr_u64(ct, ATTR_TIMESTAMP_STOP, 5);
	dump("marked", ct);
	nfct_destroy(ct);
}

static void test_icmp_types(void)
{
	int l3s[] = { 0, AF_INET, AF_INET6, AF_UNSPEC + 1 };
	unsigned int i, t;

	printf("== icmp reply types\n");
	for (i = 0; i < sizeof(l3s) / sizeof(l3s[0]); i++) {
		printf("l3 %d:", l3s[i]);
		for (t = 0; t < 256; t++) {
			struct nf_conntrack *ct = nfct_new();
			uint16_t rd;

			nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, 0);
			nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, l3s[i]);
			nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, t);
			rd = nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST);
			if ((rd & 0xff) != 255)
				printf(" %u->%u", t, rd & 0xff);
			nfct_destroy(ct);
		}
		printf("\n");
	}
	/* The group setter does the same, and fills code and id. */
	{
		struct nf_conntrack *ct = nfct_new();
		struct nfct_attr_grp_icmp g = { .id = 0x1234, .code = 5, .type = 13 };

		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, 0);
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, 0);
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
		nfct_set_attr_grp(ct, ATTR_GRP_ICMP, &g);
		dump("icmpgrp", ct);
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
		g.type = 139;
		nfct_set_attr_grp(ct, ATTR_GRP_ICMP, &g);
		dump("icmpgrp6", ct);
		nfct_destroy(ct);
	}
}

static void test_bad_ids(void)
{
	int ids[] = { 76, 95, 96, 100, 1000, -1, -100, 0x7fffffff };
	struct nf_conntrack *ct = nfct_new();
	unsigned int i;

	printf("== bad ids\n");
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		int a = ids[i];
		const void *p;
		uint32_t v = 1;

		errno = 0;
		nfct_set_attr(ct, a, &v);
		printf("id %d set errno=%d", a, errno);
		errno = 0;
		nfct_set_attr_u32(ct, a, 1);
		printf(" setu32 errno=%d", errno);
		errno = 0;
		nfct_set_attr_l(ct, a, &v, 4);
		printf(" setl errno=%d", errno);
		errno = 0;
		p = nfct_get_attr(ct, a);
		printf(" get=%s errno=%d", p ? "ptr" : "NULL", errno);
		SHOWX("u8", nfct_get_attr_u8(ct, a));
		SHOWX("u16", nfct_get_attr_u16(ct, a));
		SHOWX("u32", nfct_get_attr_u32(ct, a));
		SHOWX("u64", nfct_get_attr_u64(ct, a));
		SHOWD("isset", nfct_attr_is_set(ct, a));
		SHOWD("unset", nfct_attr_unset(ct, a));
		printf("\n");
	}
	print_set("after bad ids", ct);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		int g = ids[i] == 76 ? 16 : ids[i];
		char buf[64];

		errno = 0;
		nfct_set_attr_grp(ct, g, buf);
		printf("grp %d set errno=%d", g, errno);
		SHOWD("get", nfct_get_attr_grp(ct, g, buf));
		SHOWD("isset", nfct_attr_grp_is_set(ct, g));
		SHOWD("unset", nfct_attr_grp_unset(ct, g));
		printf("\n");
	}
	print_set("after bad groups", ct);
	nfct_destroy(ct);
}

static void test_is_set_array(void)
{
	struct nf_conntrack *ct = nfct_new();
	enum nf_conntrack_attr a1[] = { ATTR_MARK, ATTR_TIMEOUT };
	enum nf_conntrack_attr a2[] = { ATTR_MARK, ATTR_ID, 200 };
	enum nf_conntrack_attr a3[] = { ATTR_MARK, 200, ATTR_ID };
	enum nf_conntrack_attr a4[] = { 100 };

	printf("== is_set_array\n");
	nfct_set_attr_u32(ct, ATTR_MARK, 1);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 1);
	SHOWD("a1", nfct_attr_is_set_array(ct, a1, 2));
	printf("\n");
	SHOWD("a1/1", nfct_attr_is_set_array(ct, a1, 1));
	printf("\n");
	SHOWD("a2", nfct_attr_is_set_array(ct, a2, 3));
	printf("\n");
	SHOWD("a3", nfct_attr_is_set_array(ct, a3, 3));
	printf("\n");
	SHOWD("a4", nfct_attr_is_set_array(ct, a4, 1));
	printf("\n");
	SHOWD("size0", nfct_attr_is_set_array(ct, a4, 0));
	printf("\n");
	SHOWD("size-1", nfct_attr_is_set_array(ct, a4, -1));
	printf("\n");
	nfct_destroy(ct);
}

static void fill_grp(int g, unsigned char *buf)
{
	int i;

	for (i = 0; i < 32; i++)
		buf[i] = 0x10 * (g % 16) + i;
}

static void test_groups(void)
{
	int g, h;

	printf("== groups\n");
	for (g = 0; g < NGRP; g++) {
		struct nf_conntrack *ct = nfct_new();
		unsigned char in[32], out[32];

		fill_grp(g, in);
		nfct_set_attr_grp(ct, g, in);
		printf("grp %d\n", g);
		dump(" set", ct);
		printf("  isset:");
		for (h = 0; h < NGRP; h++)
			printf(" %d", nfct_attr_grp_is_set(ct, h));
		printf("\n");
		for (h = 0; h < NGRP; h++) {
			int r;

			memset(out, 0xee, sizeof(out));
			errno = 0;
			r = nfct_get_attr_grp(ct, h, out);
			printf("  get %d=%d errno=%d ", h, r, errno);
			print_bytes(out, 32);
			printf("\n");
		}
		printf("  unset=%d\n", nfct_attr_grp_unset(ct, g));
		print_set(" after unset", ct);
		nfct_destroy(ct);
	}
	/* Address groups need any family; IPv4 groups need all three. */
	{
		struct nf_conntrack *ct = nfct_new();
		unsigned char out[32];

		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("1.2.3.4"));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(5));
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, 6);
		nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES, 1);
		printf("partial isset:");
		for (h = 0; h < NGRP; h++)
			printf(" %d", nfct_attr_grp_is_set(ct, h));
		printf("\n");
		memset(out, 0, sizeof(out));
		printf("get %d ", nfct_get_attr_grp(ct, ATTR_GRP_REPL_ADDR_DST, out));
		print_bytes(out, 16);
		printf("\n");
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(6));
		memset(out, 0, sizeof(out));
		printf("get %d ", nfct_get_attr_grp(ct, ATTR_GRP_ORIG_PORT, out));
		print_bytes(out, 4);
		printf("\n");
		nfct_attr_grp_unset(ct, ATTR_GRP_REPL_IPV4);
		nfct_attr_grp_unset(ct, ATTR_GRP_ORIG_ADDR_SRC);
		print_set("after unsets", ct);
		nfct_destroy(ct);
	}
}

/* A source object with most attributes set. */
static struct nf_conntrack *rich(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char v6[16];
	int a, i;

	for (a = 0; a < NATTR; a++) {
		if (kind(a) == KLBL || kind(a) == KCTX)
			continue;
		if (a >= ATTR_ICMP_TYPE && a <= ATTR_ICMP_ID)
			continue;
		set_typed(ct, a, 7);
	}
	for (i = 0; i < 16; i++)
		v6[i] = 0x30 + i;
	/* IPv4 values over IPv6 ones: copying v4 copies one word only. */
	nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, v6);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("192.168.0.1"));
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, "INFOinfo", 8);
	return ct;
}

/* A destination object with data of its own. */
static struct nf_conntrack *dest(void)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char v6[16];
	int i;

	for (i = 0; i < 16; i++)
		v6[i] = 0xd0 + i;
	nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, v6);
	nfct_set_attr(ct, ATTR_SNAT_IPV6, v6);
	nfct_set_attr_u32(ct, ATTR_MARK, 0xdddd);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "destination-helper");
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, "DEST", 4);
	return ct;
}

static void test_copy(void)
{
	unsigned int flags[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 32, 0x80000000 };
	struct nf_conntrack *src = rich();
	struct nf_conntrack *icmp = nfct_new();
	unsigned int i;
	int a;

	printf("== copy\n");
	dump("source", src);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct nf_conntrack *d = dest(), *e = nfct_new();
		char tag[32];

		nfct_copy(d, src, flags[i]);
		snprintf(tag, sizeof(tag), "copy %x into dest", flags[i]);
		dump(tag, d);
		nfct_copy(e, src, flags[i]);
		snprintf(tag, sizeof(tag), "copy %x into new", flags[i]);
		dump(tag, e);
		/* Snat: only min_ip travels; print the other end through a
		 * setter-less read is impossible, so compare objects. */
		printf("cmp after copy %x: %d %d\n", flags[i], nfct_cmp(d, src, 0),
		       nfct_cmp(e, src, NFCT_CMP_ALL | NFCT_CMP_STRICT));
		nfct_destroy(d);
		nfct_destroy(e);
	}
	for (a = 0; a < NATTR; a++) {
		struct nf_conntrack *d = dest();
		char tag[32];

		nfct_copy_attr(d, src, a);
		snprintf(tag, sizeof(tag), "copy_attr %d", a);
		dump(tag, d);
		nfct_destroy(d);
	}
	/* ICMP: the type copier copies only the original type. */
	nfct_set_attr_u8(icmp, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(icmp, ATTR_ICMP_TYPE, 8);
	nfct_set_attr_u8(icmp, ATTR_ICMP_CODE, 1);
	nfct_set_attr_u16(icmp, ATTR_ICMP_ID, 99);
	for (i = 0; i < 3; i++) {
		struct nf_conntrack *d = nfct_new();

		nfct_set_attr_u16(d, ATTR_REPL_PORT_DST, 0);
		nfct_set_attr_u16(d, ATTR_REPL_PORT_SRC, 0);
		nfct_copy(d, icmp, i == 0 ? NFCT_CP_ALL : i == 1 ? NFCT_CP_ORIG : NFCT_CP_OVERRIDE);
		dump("icmp copy", d);
		nfct_destroy(d);
	}
	{
		struct nf_conntrack *c = nfct_clone(src);

		dump("clone", c);
		printf("clone cmp %d\n", nfct_cmp(c, src, NFCT_CMP_ALL | NFCT_CMP_STRICT));
		nfct_destroy(c);
	}
	nfct_destroy(icmp);
	nfct_destroy(src);
}

static struct nf_conntrack *base_tcp(void)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("1.1.1.1"));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("2.2.2.2"));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1000));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("2.2.2.2"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("1.1.1.1"));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(80));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(1000));
	nfct_set_attr_u32(ct, ATTR_MARK, 1);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0x2);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	return ct;
}

#define NOBJ 26

static struct nf_conntrack *cmp_obj(int i)
{
	struct nf_conntrack *ct;
	unsigned char v6[16];

	if (i == 0)
		return nfct_new();
	if (i == 20 || i == 21) {
		ct = nfct_new();
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMP);
		nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_ICMP);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, i == 20 ? 8 : 0);
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, 0x1234);
		return ct;
	}
	if (i == 22) {
		ct = nfct_new();
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_ICMP);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
		return ct;
	}
	ct = base_tcp();
	memset(v6, 0x66, sizeof(v6));
	switch (i) {
	case 1: case 2: break;
	case 3: nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1001)); break;
	case 4: nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("9.9.9.9")); break;
	case 5: nfct_set_attr_u32(ct, ATTR_MARK, 2); break;
	case 6: nfct_attr_unset(ct, ATTR_MARK); break;
	case 7: nfct_set_attr_u32(ct, ATTR_TIMEOUT, 200); break;
	case 8: nfct_set_attr_u32(ct, ATTR_STATUS, 0x6); break;
	case 9:
		nfct_set_attr_u16(ct, ATTR_ZONE, 5);
		nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 1);
		break;
	case 10: nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, v6); break;
	case 11: nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP); break;
	case 12: nfct_set_attr_u32(ct, ATTR_ID, 7); break;
	case 13: nfct_set_attr_u32(ct, ATTR_MARK, 0); break;
	case 14: nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 0); break;
	case 15: nfct_set_attr_u8(ct, ATTR_TCP_STATE, 4); break;
	case 16: nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 3); break;
	case 17: nfct_attr_unset(ct, ATTR_ORIG_PORT_SRC); break;
	case 18: nfct_set_attr_u32(ct, ATTR_TIMEOUT, 50); break;
	case 19: nfct_attr_unset(ct, ATTR_TIMEOUT); break;
	case 23: nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 0); break;
	case 24: nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_UDP); break;
	case 25: nfct_set_attr(ct, ATTR_SECCTX, "x"); break;
	}
	return ct;
}

static void test_cmp(void)
{
	unsigned int flags[] = {
		0, NFCT_CMP_ORIG, NFCT_CMP_REPL, NFCT_CMP_ORIG | NFCT_CMP_REPL,
		NFCT_CMP_MASK, NFCT_CMP_STRICT, NFCT_CMP_MASK | NFCT_CMP_STRICT,
		NFCT_CMP_ORIG | NFCT_CMP_MASK, NFCT_CMP_ORIG | NFCT_CMP_STRICT,
		NFCT_CMP_REPL | NFCT_CMP_MASK, NFCT_CMP_REPL | NFCT_CMP_STRICT,
		NFCT_CMP_TIMEOUT_EQ, NFCT_CMP_TIMEOUT_GT, NFCT_CMP_TIMEOUT_LT,
		NFCT_CMP_TIMEOUT_GE, NFCT_CMP_TIMEOUT_LE,
		NFCT_CMP_TIMEOUT_GT | NFCT_CMP_MASK, NFCT_CMP_ORIG | NFCT_CMP_TIMEOUT_LT,
		128, NFCT_CMP_ORIG | NFCT_CMP_REPL | NFCT_CMP_MASK | NFCT_CMP_STRICT,
	};
	struct nf_conntrack *o[NOBJ];
	unsigned int f;
	int i, j;

	printf("== cmp\n");
	for (i = 0; i < NOBJ; i++)
		o[i] = cmp_obj(i);
	for (i = 0; i < NOBJ; i++) {
		for (j = 0; j < NOBJ; j++) {
			printf("%d,%d:", i, j);
			for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
				printf("%d", nfct_cmp(o[i], o[j], flags[f]));
			printf(" %d\n", nfct_compare(o[i], o[j]));
		}
	}
	for (i = 0; i < NOBJ; i++)
		nfct_destroy(o[i]);
}

static struct nf_conntrack *nat_obj(int i)
{
	struct nf_conntrack *ct = nfct_new();
	unsigned char a[16], b[16], c[16], d[16];

	memset(a, 0x11, 16);
	memset(b, 0x22, 16);
	memset(c, 0x33, 16);
	memset(d, 0x44, 16);
	switch (i) {
	case 0: case 1: case 2: case 5: case 6:
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, i == 5 ? 0 : AF_INET);
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, i == 6 ? IPPROTO_GRE : IPPROTO_TCP);
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("1.1.1.1"));
		nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("2.2.2.2"));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1000));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("3.3.3.3"));
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("4.4.4.4"));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(8080));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(2000));
		if (i == 1)
			nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SRC_NAT_DONE);
		if (i == 2)
			nfct_set_attr_u32(ct, ATTR_STATUS, IPS_DST_NAT_DONE | IPS_SRC_NAT_DONE);
		break;
	case 3:
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET6);
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, a);
		nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, b);
		nfct_set_attr(ct, ATTR_REPL_IPV6_SRC, c);
		nfct_set_attr(ct, ATTR_REPL_IPV6_DST, a);
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(53));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(53));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(53));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(53));
		break;
	case 4:
		nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
		nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_ICMP);
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("5.5.5.5"));
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("6.6.6.6"));
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, 77);
		break;
	}
	return ct;
}

static void test_objopt(void)
{
	unsigned int gopts[] = { 0, 1, 2, 3, 4, 100 };
	unsigned int sopts[] = { 0, 1, 2, 3, 4, 5, 6, 100 };
	int i;
	unsigned int k;

	printf("== objopt\n");
	for (i = 0; i < 7; i++) {
		struct nf_conntrack *ct = nat_obj(i);

		printf("obj %d get:", i);
		for (k = 0; k < sizeof(gopts) / sizeof(gopts[0]); k++)
			SHOWD("g", nfct_getobjopt(ct, gopts[k]));
		printf("\n");
		for (k = 0; k < sizeof(sopts) / sizeof(sopts[0]); k++) {
			struct nf_conntrack *c = nfct_clone(ct);
			char tag[32];
			int r;

			errno = 0;
			r = nfct_setobjopt(c, sopts[k]);
			snprintf(tag, sizeof(tag), "obj %d sopt %u = %d/%d", i, sopts[k], r, errno);
			dump(tag, c);
			printf("  after: %d %d %d %d\n", nfct_getobjopt(c, 0), nfct_getobjopt(c, 1),
			       nfct_getobjopt(c, 2), nfct_getobjopt(c, 3));
			nfct_destroy(c);
		}
		nfct_destroy(ct);
	}
}

static void test_sizes(void)
{
	struct nf_conntrack *ct = nfct_new();

	printf("== sizes\n");
	printf("sizeof>0 %d maxsize>=sizeof %d\n", nfct_sizeof(ct) > 0,
	       nfct_maxsize() >= nfct_sizeof(ct));
	nfct_destroy(ct);
	/* Zeroed memory of nfct_maxsize() bytes is an empty object. */
	{
		void *mem = calloc(1, nfct_maxsize());

		ct = mem;
		print_set("zeroed", ct);
		nfct_set_attr_u32(ct, ATTR_MARK, 3);
		nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, 6);
		dump("zeroed", ct);
		free(mem);
	}
}

static void test_labels(void)
{
	struct nf_conntrack *ct = nfct_new(), *c, *d;
	struct nfct_bitmask *b = nfct_bitmask_new(127), *m = nfct_bitmask_new(31);
	const struct nfct_bitmask *g;
	unsigned int flags[] = { 0, 1, 4, 8 };
	unsigned int i;

	printf("== labels\n");
	nfct_bitmask_set_bit(b, 5);
	nfct_bitmask_set_bit(b, 100);
	nfct_bitmask_set_bit(m, 5);
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	g = nfct_get_attr(ct, ATTR_CONNLABELS);
	printf("same=%d bit5=%d bit100=%d max=%u\n", g == b, nfct_bitmask_test_bit(g, 5),
	       nfct_bitmask_test_bit(g, 100), nfct_bitmask_maxbit(g));
	nfct_set_attr_l(ct, ATTR_CONNLABELS_MASK, m, 99);
	print_set("labels", ct);
	printf("unset=%d\n", nfct_attr_unset(ct, ATTR_CONNLABELS));
	print_set("labels", ct);
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	c = nfct_clone(ct);
	g = nfct_get_attr(c, ATTR_CONNLABELS);
	printf("clone same=%d bit100=%d max=%u\n", g == b, nfct_bitmask_test_bit(g, 100),
	       nfct_bitmask_maxbit(g));
	printf("cmp %d %d\n", nfct_cmp(c, ct, 0), nfct_cmp(c, ct, NFCT_CMP_STRICT));
	nfct_bitmask_unset_bit((struct nfct_bitmask *)g, 100);
	printf("cmp after unset bit %d\n", nfct_cmp(c, ct, 0));
	/* Shorter mask with equal low bits: equal unless a high bit is set. */
	d = nfct_new();
	b = nfct_bitmask_new(31);
	nfct_bitmask_set_bit(b, 5);
	nfct_set_attr(d, ATTR_CONNLABELS, b);
	printf("cmp short %d %d\n", nfct_cmp(d, c, 0), nfct_cmp(d, ct, 0));
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct nf_conntrack *e = nfct_new();

		nfct_set_attr(e, ATTR_CONNLABELS, nfct_bitmask_new(7));
		nfct_copy(e, ct, flags[i]);
		g = nfct_get_attr(e, ATTR_CONNLABELS);
		print_set("copied", e);
		printf("copy %u: bit100=%d max=%u\n", flags[i], nfct_bitmask_test_bit(g, 100),
		       nfct_bitmask_maxbit(g));
		nfct_destroy(e);
	}
	/* Replacing frees the old set (checked under valgrind/ASan). */
	nfct_set_attr(ct, ATTR_CONNLABELS, nfct_bitmask_new(1));
	printf("max after replace %u\n",
	       nfct_bitmask_maxbit(nfct_get_attr(ct, ATTR_CONNLABELS)));
	nfct_destroy(d);
	nfct_destroy(c);
	nfct_destroy(ct);
}

static void test_null(void)
{
	struct nf_conntrack *ct = nfct_new();
	uint32_t v = 1;
	char buf[64];

	printf("== null\n");
#define E(expr) do { errno = 0; expr; printf("%-60s errno=%d\n", #expr, errno); } while (0)
#define R(expr) do { errno = 0; long r_ = (long)(expr); int e_ = errno; \
	printf("%-60s = %ld errno=%d\n", #expr, r_, e_); } while (0)
	E(nfct_destroy(NULL));
	R(nfct_clone(NULL) == NULL);
	R(nfct_sizeof(NULL));
	E(nfct_set_attr(NULL, ATTR_MARK, &v));
	E(nfct_set_attr(ct, ATTR_MARK, NULL));
	E(nfct_set_attr_l(ct, ATTR_HELPER_INFO, NULL, 4));
	E(nfct_set_attr_u8(NULL, ATTR_TCP_STATE, 1));
	E(nfct_set_attr_u16(NULL, ATTR_ZONE, 1));
	E(nfct_set_attr_u32(NULL, ATTR_MARK, 1));
	E(nfct_set_attr_u64(NULL, ATTR_TIMESTAMP_START, 1));
	R(nfct_get_attr(NULL, ATTR_MARK) == NULL);
	R(nfct_get_attr_u8(NULL, ATTR_TCP_STATE));
	R(nfct_get_attr_u16(NULL, ATTR_ZONE));
	R(nfct_get_attr_u32(NULL, ATTR_MARK));
	R(nfct_get_attr_u64(NULL, ATTR_TIMESTAMP_START));
	R(nfct_attr_is_set(NULL, ATTR_MARK));
	R(nfct_attr_is_set_array(NULL, NULL, 0));
	R(nfct_attr_is_set_array(ct, NULL, 1));
	R(nfct_attr_is_set_array(ct, NULL, 0));
	R(nfct_attr_unset(NULL, ATTR_MARK));
	E(nfct_set_attr_grp(NULL, ATTR_GRP_ORIG_IPV4, buf));
	E(nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV4, NULL));
	E(nfct_set_attr_grp(ct, ATTR_GRP_ORIG_COUNTERS, NULL));
	R(nfct_get_attr_grp(NULL, ATTR_GRP_ORIG_IPV4, buf));
	R(nfct_get_attr_grp(ct, ATTR_GRP_ORIG_COUNTERS, NULL));
	R(nfct_attr_grp_is_set(NULL, ATTR_GRP_ORIG_IPV4));
	R(nfct_attr_grp_unset(NULL, ATTR_GRP_ORIG_IPV4));
	R(nfct_setobjopt(NULL, 0));
	R(nfct_getobjopt(NULL, 0));
	E(nfct_copy(NULL, ct, 0));
	E(nfct_copy(ct, NULL, 0));
	E(nfct_copy_attr(NULL, ct, ATTR_MARK));
	E(nfct_copy_attr(ct, NULL, ATTR_MARK));
	R(nfct_cmp(NULL, ct, 0));
	R(nfct_cmp(ct, NULL, 0));
	R(nfct_compare(NULL, NULL));
	print_set("after nulls", ct);
	nfct_destroy(ct);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "main";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "main") == 0) {
		test_sizes();
		test_each_attribute();
		test_wide_reads();
		test_pointer_setters();
		test_aliases();
		test_icmp_types();
		test_bad_ids();
		test_is_set_array();
		test_groups();
		test_copy();
		test_cmp();
		test_objopt();
	} else if (strcmp(mode, "labels") == 0) {
		test_labels();
	} else if (strcmp(mode, "null") == 0) {
		test_null();
	} else {
		fprintf(stderr, "usage: %s [main|labels|null]\n", argv[0]);
		return 2;
	}
	return 0;
}
