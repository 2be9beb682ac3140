/* Expectation tuple attributes (master, expected, mask, NAT tuple): set
 * from conntrack objects, read back as conntrack objects, copied between
 * expectations, and compared. Uses the nfct_* object functions too. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static struct nf_conntrack *tcp(const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr(src));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr(dst));
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(dport));
	return ct;
}

static void show_tuple(const char *what, const struct nf_expect *e, int id)
{
	const struct nf_conntrack *t = nfexp_get_attr(e, id);
	static const int attrs[] = {
		ATTR_ORIG_L3PROTO, ATTR_ORIG_L4PROTO, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST,
		ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST, ATTR_ICMP_TYPE, ATTR_ICMP_CODE,
		ATTR_ICMP_ID, ATTR_ORIG_ZONE, ATTR_ORIG_IPV6_SRC, ATTR_REPL_IPV4_SRC,
		ATTR_TIMEOUT, ATTR_MARK,
	};

	printf("%s (attr %d): %s", what, id, t ? "" : "NULL");
	if (!t) {
		printf(" errno=%d\n", errno);
		return;
	}
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		printf("%d", nfct_attr_is_set(t, attrs[i]));
	printf(" l3=%u l4=%u src=%#x dst=%#x sport=%u dport=%u zone=%u exp_u32=%#x\n",
	       nfct_get_attr_u8(t, ATTR_ORIG_L3PROTO), nfct_get_attr_u8(t, ATTR_ORIG_L4PROTO),
	       ntohl(nfct_get_attr_u32(t, ATTR_ORIG_IPV4_SRC)),
	       ntohl(nfct_get_attr_u32(t, ATTR_ORIG_IPV4_DST)),
	       ntohs(nfct_get_attr_u16(t, ATTR_ORIG_PORT_SRC)),
	       ntohs(nfct_get_attr_u16(t, ATTR_ORIG_PORT_DST)),
	       nfct_get_attr_u16(t, ATTR_ORIG_ZONE), nfexp_get_attr_u32(e, id));
}

static void cmps(const char *what, struct nf_expect *a, struct nf_expect *b)
{
	static const unsigned int flags[] = {
		0, NFCT_CMP_MASK, NFCT_CMP_STRICT, NFCT_CMP_MASK | NFCT_CMP_STRICT,
	};
	printf("cmp %s:", what);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		printf(" %d/%d", nfexp_cmp(a, b, flags[i]), nfexp_cmp(b, a, flags[i]));
	printf("\n");
}

int main(void)
{
	struct nf_conntrack *m = tcp("10.0.0.1", "10.0.0.2", 40000, 21);
	struct nf_conntrack *x = tcp("10.0.0.2", "10.0.0.1", 0, 50000);
	struct nf_conntrack *k = tcp("255.255.255.255", "255.255.255.255", 0, 0xffff);
	struct nf_expect *e = nfexp_new(), *f = nfexp_new();
	const void *p;

	/* Attributes outside the original tuple: their bits travel along. */
	nfct_set_attr_u32(m, ATTR_REPL_IPV4_SRC, inet_addr("10.0.0.2"));
	nfct_set_attr_u32(m, ATTR_TIMEOUT, 120);
	nfct_set_attr_u16(m, ATTR_ZONE, 3);
	nfct_attr_unset(x, ATTR_ORIG_PORT_SRC);

	nfexp_set_attr(e, ATTR_EXP_MASTER, m);
	nfexp_set_attr(e, ATTR_EXP_EXPECTED, x);
	nfexp_set_attr(e, ATTR_EXP_MASK, k);
	nfexp_set_attr(e, ATTR_EXP_NAT_TUPLE, x);
	nfexp_set_attr_u32(e, ATTR_EXP_TIMEOUT, 60);
	nfexp_set_attr(e, ATTR_EXP_HELPER_NAME, "ftp");
	show_tuple("master", e, ATTR_EXP_MASTER);
	show_tuple("expected", e, ATTR_EXP_EXPECTED);
	show_tuple("mask", e, ATTR_EXP_MASK);
	show_tuple("nat", e, ATTR_EXP_NAT_TUPLE);
	nfexp_attr_unset(e, ATTR_EXP_NAT_TUPLE);
	errno = 0;
	show_tuple("nat unset", e, ATTR_EXP_NAT_TUPLE);

	/* Tuples taken from another expectation, and from the same one. */
	nfexp_set_attr(f, ATTR_EXP_MASTER, nfexp_get_attr(e, ATTR_EXP_MASTER));
	nfexp_set_attr(f, ATTR_EXP_EXPECTED, nfexp_get_attr(e, ATTR_EXP_EXPECTED));
	nfexp_set_attr(f, ATTR_EXP_MASK, nfexp_get_attr(e, ATTR_EXP_MASK));
	nfexp_set_attr(f, ATTR_EXP_HELPER_NAME, "ftp");
	show_tuple("f master", f, ATTR_EXP_MASTER);
	cmps("copied", e, f);
	p = nfexp_get_attr(f, ATTR_EXP_MASTER);
	nfexp_set_attr(f, ATTR_EXP_NAT_TUPLE, p);
	show_tuple("f nat from own master", f, ATTR_EXP_NAT_TUPLE);
	cmps("nat one-sided", e, f);
	nfexp_attr_unset(f, ATTR_EXP_NAT_TUPLE);

	/* Original-tuple differences inside the master. */
	struct nf_conntrack *m2 = nfct_clone(m);
	nfct_set_attr_u16(m2, ATTR_ORIG_PORT_SRC, htons(40001));
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master sport differs", e, f);
	nfct_attr_unset(m2, ATTR_ORIG_PORT_SRC);
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master sport one-sided", e, f);
	nfct_set_attr_u16(m2, ATTR_ORIG_PORT_SRC, htons(40000));
	nfct_set_attr_u32(m2, ATTR_REPL_IPV4_SRC, inet_addr("1.2.3.4"));
	nfct_set_attr_u32(m2, ATTR_TIMEOUT, 1);
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master differs outside orig", e, f);
	nfct_set_attr_u32(m2, ATTR_ORIG_IPV4_DST, inet_addr("10.0.0.3"));
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master dst differs", e, f);
	nfct_set_attr_u32(m2, ATTR_ORIG_IPV4_DST, inet_addr("10.0.0.2"));
	nfct_set_attr_u16(m2, ATTR_ORIG_ZONE, 0);
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master zone 0 one-sided", e, f);
	nfct_set_attr_u16(m2, ATTR_ORIG_ZONE, 5);
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master zone 5 one-sided", e, f);
	nfct_attr_unset(m2, ATTR_ORIG_ZONE);
	nfct_set_attr_u8(m2, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master proto differs", e, f);
	nfct_attr_unset(m2, ATTR_ORIG_L4PROTO);
	nfexp_set_attr(f, ATTR_EXP_MASTER, m2);
	cmps("master proto one-sided", e, f);
	nfct_destroy(m2);

	/* ICMP tuples. */
	struct nf_conntrack *i1 = nfct_new(), *i2;
	nfct_set_attr_u8(i1, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(i1, ATTR_ORIG_L4PROTO, IPPROTO_ICMP);
	nfct_set_attr_u8(i1, ATTR_ICMP_TYPE, 8);
	nfct_set_attr_u8(i1, ATTR_ICMP_CODE, 0);
	nfct_set_attr_u16(i1, ATTR_ICMP_ID, htons(77));
	i2 = nfct_clone(i1);
	nfexp_set_attr(e, ATTR_EXP_MASK, i1);
	nfexp_set_attr(f, ATTR_EXP_MASTER, m);
	nfexp_set_attr(f, ATTR_EXP_MASK, i2);
	show_tuple("icmp mask", f, ATTR_EXP_MASK);
	cmps("icmp same", e, f);
	nfct_set_attr_u8(i2, ATTR_ICMP_CODE, 1);
	nfexp_set_attr(f, ATTR_EXP_MASK, i2);
	cmps("icmp code differs", e, f);
	nfct_attr_unset(i2, ATTR_ICMP_CODE);
	nfexp_set_attr(f, ATTR_EXP_MASK, i2);
	cmps("icmp code one-sided", e, f);
	nfct_set_attr_u16(i2, ATTR_ICMP_ID, htons(78));
	nfexp_set_attr(f, ATTR_EXP_MASK, i2);
	cmps("icmp id differs", e, f);

	nfexp_set_attr(f, ATTR_EXP_MASK, i1);
	cmps("icmp mask restored", e, f);

	/* IPv6 addresses. */
	struct nf_conntrack *v6a = nfct_new(), *v6b;
	struct in6_addr a6;
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	nfct_set_attr_u8(v6a, ATTR_ORIG_L3PROTO, AF_INET6);
	nfct_set_attr(v6a, ATTR_ORIG_IPV6_SRC, &a6);
	v6b = nfct_clone(v6a);
	nfexp_set_attr(e, ATTR_EXP_EXPECTED, v6a);
	nfexp_set_attr(f, ATTR_EXP_EXPECTED, v6b);
	cmps("v6 same", e, f);
	a6.s6_addr[15] = 2;
	nfct_set_attr(v6b, ATTR_ORIG_IPV6_SRC, &a6);
	nfexp_set_attr(f, ATTR_EXP_EXPECTED, v6b);
	cmps("v6 differs", e, f);
	show_tuple("v6 expected", f, ATTR_EXP_EXPECTED);

	/* The set functions with integers on tuple attributes are not
	 * exercised: upstream reads past the integer it was given. */
	nfct_destroy(i1);
	nfct_destroy(i2);
	nfct_destroy(v6a);
	nfct_destroy(v6b);
	nfct_destroy(m);
	nfct_destroy(x);
	nfct_destroy(k);
	nfexp_destroy(e);
	nfexp_destroy(f);
	return 0;
}
