/* Conntrack objects the way conntrack(8) and conntrackd handle them: set
 * attributes through the old alias names and through groups, test them as
 * an array, compare, copy, clone, print, and carry labels in a bitmask.
 * Needs no kernel access; exits non-zero on the first wrong answer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

static int failures;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                    \
			failures++;                                        \
		}                                                          \
	} while (0)

static struct nf_conntrack *tcp_flow(void)
{
	struct nf_conntrack *ct = nfct_new();

	if (ct == NULL)
		return NULL;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr("192.168.1.10"));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr("10.0.0.1"));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(40000));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(80));
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfct_set_attr_u32(ct, ATTR_MARK, 7);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SEEN_REPLY | IPS_ASSURED);
	nfct_set_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ, 3);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	return ct;
}

static void test_attributes(void)
{
	static const enum nf_conntrack_attr tuple[] = {
		ATTR_L3PROTO, ATTR_IPV4_SRC, ATTR_IPV4_DST,
		ATTR_L4PROTO, ATTR_PORT_SRC, ATTR_PORT_DST,
	};
	struct nfct_attr_grp_ipv4 addrs;
	struct nfct_attr_grp_port ports = { htons(1), htons(2) };
	struct nf_conntrack *ct = tcp_flow();

	CHECK(ct != NULL);
	if (ct == NULL)
		return;
	CHECK(nfct_attr_is_set_array(ct, tuple, sizeof(tuple) / sizeof(tuple[0])) == 1);
	CHECK(nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO) == AF_INET);
	CHECK(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST) == htons(80));
	CHECK(nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC) == inet_addr("10.0.0.1"));
	CHECK(nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST) == htons(40000));
	CHECK(nfct_get_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ) == 3);
	CHECK(strcmp(nfct_get_attr(ct, ATTR_HELPER_NAME), "ftp") == 0);
	CHECK(nfct_get_attr_u32(ct, ATTR_STATUS) & IPS_ASSURED);

	CHECK(nfct_get_attr_grp(ct, ATTR_GRP_ORIG_IPV4, &addrs) == 0);
	CHECK(addrs.src == inet_addr("192.168.1.10"));
	CHECK(nfct_attr_grp_is_set(ct, ATTR_GRP_ORIG_PORT) == 1);
	nfct_set_attr_grp(ct, ATTR_GRP_REPL_PORT, &ports);
	CHECK(nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC) == htons(1));

	CHECK(nfct_attr_unset(ct, ATTR_MARK) == 0);
	CHECK(nfct_attr_is_set(ct, ATTR_MARK) == 0);
	errno = 0;
	CHECK(nfct_get_attr(ct, ATTR_MARK) == NULL && errno == ENODATA);
	CHECK(nfct_getobjopt(ct, NFCT_GOPT_IS_SNAT) == 0);
	nfct_destroy(ct);
}

static void test_compare_copy(void)
{
	struct nf_conntrack *a = tcp_flow();
	struct nf_conntrack *b, *c;

	CHECK(a != NULL);
	if (a == NULL)
		return;
	b = nfct_clone(a);
	CHECK(b != NULL);
	CHECK(nfct_cmp(a, b, NFCT_CMP_ALL) == 1);
	CHECK(nfct_cmp(a, b, NFCT_CMP_ORIG | NFCT_CMP_TIMEOUT_EQ) == 1);
	nfct_set_attr_u32(b, ATTR_TIMEOUT, 200);
	CHECK(nfct_cmp(a, b, NFCT_CMP_ALL | NFCT_CMP_TIMEOUT_LT) == 1);

	c = nfct_new();
	CHECK(c != NULL);
	nfct_copy(c, a, NFCT_CP_ORIG);
	CHECK(nfct_cmp(a, c, NFCT_CMP_ORIG) == 1);
	CHECK(nfct_attr_is_set(c, ATTR_MARK) == 0);
	nfct_copy_attr(c, a, ATTR_MARK);
	CHECK(nfct_get_attr_u32(c, ATTR_MARK) == 7);
	nfct_copy(c, b, NFCT_CP_ALL | NFCT_CP_OVERRIDE);
	CHECK(nfct_get_attr_u32(c, ATTR_TIMEOUT) == 200);

	nfct_destroy(a);
	nfct_destroy(b);
	nfct_destroy(c);
}

static void test_print(void)
{
	char buf[1024];
	struct nf_conntrack *ct = tcp_flow();
	int n;

	if (ct == NULL)
		return;
	n = nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT,
			  NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID);
	CHECK(n > 0 && strstr(buf, "src=192.168.1.10") != NULL);
	n = nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_NEW, NFCT_O_XML, NFCT_OF_TIME);
	CHECK(n > 0 && strstr(buf, "<flow") != NULL);
	nfct_destroy(ct);
}

static void test_labels(void)
{
	struct nfct_bitmask *b = nfct_bitmask_new(127), *copy;
	struct nf_conntrack *ct = nfct_new();
	const struct nfct_bitmask *got;

	CHECK(b != NULL && ct != NULL);
	if (b == NULL || ct == NULL)
		return;
	CHECK(nfct_bitmask_maxbit(b) == 127);
	nfct_bitmask_set_bit(b, 3);
	nfct_bitmask_set_bit(b, 100);
	nfct_bitmask_unset_bit(b, 100);
	CHECK(nfct_bitmask_test_bit(b, 3) == 1 && nfct_bitmask_test_bit(b, 100) == 0);
	copy = nfct_bitmask_clone(b);
	CHECK(copy != NULL && nfct_bitmask_equal(b, copy));
	nfct_bitmask_clear(copy);
	CHECK(!nfct_bitmask_equal(b, copy));
	nfct_bitmask_destroy(copy);

	/* The conntrack takes ownership of the bitmask. */
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	got = nfct_get_attr(ct, ATTR_CONNLABELS);
	CHECK(got == b);
	CHECK(nfct_labels_get_path() != NULL);
	nfct_destroy(ct);
}

int main(void)
{
	test_attributes();
	test_compare_copy();
	test_print();
	test_labels();
	if (failures)
		fprintf(stderr, "objects: %d checks failed\n", failures);
	return failures ? 1 : 0;
}
