/* The netlink-level API the way conntrack(8) and conntrackd drive it with
 * their own sockets: build a conntrack into a message and parse it back,
 * build a dump filter, and do the same for an expectation. Needs no
 * kernel access; exits non-zero on the first wrong answer.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static int failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                    \
			failures++;                                        \
		}                                                          \
	} while (0)

/* A netlink header followed by an nfgenmsg, ready for attributes. */
static struct nlmsghdr *start(void *buf, size_t size, uint16_t subsys,
			      uint16_t type)
{
	struct nlmsghdr *nlh = buf;
	struct nfgenmsg *nfg;

	memset(buf, 0, size);
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*nfg));
	nlh->nlmsg_type = (subsys << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nfg = NLMSG_DATA(nlh);
	nfg->nfgen_family = AF_INET;
	nfg->version = NFNETLINK_V0;
	return nlh;
}

static struct nf_conntrack *udp_flow(void)
{
	struct nf_conntrack *ct = nfct_new();

	if (ct == NULL)
		return NULL;
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("10.1.1.1"));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("10.2.2.2"));
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1234));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(53));
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 30);
	nfct_set_attr_u32(ct, ATTR_MARK, 0x42);
	return ct;
}

static void conntrack_roundtrip(void)
{
	long buf[2048];
	struct nlmsghdr *nlh = start(buf, sizeof(buf), NFNL_SUBSYS_CTNETLINK,
				     IPCTNL_MSG_CT_NEW);
	struct nf_conntrack *ct = udp_flow(), *back = nfct_new();

	CHECK(ct != NULL && back != NULL);
	if (ct == NULL || back == NULL)
		return;
	CHECK(nfct_nlmsg_build(nlh, ct) == 0);
	CHECK(nlh->nlmsg_len > NLMSG_LENGTH(sizeof(struct nfgenmsg)));
	CHECK(nfct_nlmsg_parse(nlh, back) >= 0);
	CHECK(nfct_get_attr_u32(back, ATTR_IPV4_DST) == inet_addr("10.2.2.2"));
	CHECK(nfct_get_attr_u16(back, ATTR_PORT_DST) == htons(53));
	CHECK(nfct_get_attr_u32(back, ATTR_MARK) == 0x42);
	CHECK(nfct_cmp(ct, back, NFCT_CMP_ORIG) == 1);

	/* ulogd2's NFLOG plugin hands the CTA payload to nfct_payload_parse. */
	nfct_destroy(back);
	back = nfct_new();
	CHECK(back != NULL);
	if (back != NULL) {
		const char *payload = (const char *)NLMSG_DATA(nlh) +
				      NLMSG_ALIGN(sizeof(struct nfgenmsg));
		size_t len = nlh->nlmsg_len - NLMSG_LENGTH(sizeof(struct nfgenmsg));

		CHECK(nfct_payload_parse(payload, len, AF_INET, back) >= 0);
		CHECK(nfct_get_attr_u32(back, ATTR_IPV4_SRC) == inet_addr("10.1.1.1"));
		nfct_destroy(back);
	}
	nfct_destroy(ct);
}

static void dump_filter(void)
{
	long buf[512];
	struct nlmsghdr *nlh = start(buf, sizeof(buf), NFNL_SUBSYS_CTNETLINK,
				     IPCTNL_MSG_CT_GET);
	struct nfct_filter_dump *fd = nfct_filter_dump_create();
	struct nfct_filter_dump_mark mark = { .val = 1, .mask = 0xff };
	uint32_t before = nlh->nlmsg_len;

	CHECK(fd != NULL);
	if (fd == NULL)
		return;
	nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_MARK, &mark);
	nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_L3NUM, AF_INET);
	CHECK(nfct_nlmsg_build_filter(nlh, fd) == 0);
	CHECK(nlh->nlmsg_len > before);
	nfct_filter_dump_destroy(fd);
}

static void expect_roundtrip(void)
{
	long buf[2048];
	struct nlmsghdr *nlh = start(buf, sizeof(buf), NFNL_SUBSYS_CTNETLINK_EXP,
				     IPCTNL_MSG_EXP_NEW);
	struct nf_conntrack *master = udp_flow(), *expected = udp_flow();
	struct nf_conntrack *mask = udp_flow();
	struct nf_expect *exp = nfexp_new(), *back = nfexp_new(), *copy;
	char text[512];

	CHECK(master && expected && mask && exp && back);
	if (!(master && expected && mask && exp && back))
		return;
	nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, expected);
	nfexp_set_attr(exp, ATTR_EXP_MASK, mask);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 60);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, NF_CT_EXPECT_PERMANENT);
	CHECK(nfexp_attr_is_set(exp, ATTR_EXP_TIMEOUT) == 1);
	CHECK(nfexp_get_attr_u32(exp, ATTR_EXP_TIMEOUT) == 60);

	copy = nfexp_clone(exp);
	CHECK(copy != NULL && nfexp_cmp(exp, copy, 0) == 1);
	nfexp_destroy(copy);

	CHECK(nfexp_nlmsg_build(nlh, exp) == 0);
	CHECK(nfexp_nlmsg_parse(nlh, back) >= 0);
	CHECK(nfexp_get_attr_u32(back, ATTR_EXP_TIMEOUT) == 60);
	CHECK(nfexp_snprintf(text, sizeof(text), back, NFCT_T_NEW, NFCT_O_DEFAULT, 0) > 0);
	CHECK(nfexp_attr_unset(back, ATTR_EXP_TIMEOUT) == 0);
	CHECK(nfexp_attr_is_set(back, ATTR_EXP_TIMEOUT) == 0);

	nfexp_destroy(back);
	nfexp_destroy(exp);
	nfct_destroy(master);
	nfct_destroy(expected);
	nfct_destroy(mask);
}

int main(void)
{
	conntrack_roundtrip();
	dump_filter();
	expect_roundtrip();
	if (failures)
		fprintf(stderr, "nlmsg: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
