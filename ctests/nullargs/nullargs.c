/* Bad input at the C boundary: every export that takes a pointer, called
 * with NULL for each pointer argument; attribute, group and option ids out
 * of range (negative, the maximum, huge); over-long helper names and
 * strings; label bits beyond the bitmask; nfct_snprintf / nfexp_snprintf
 * into buffers of size 0 and 1 with canaries after them; invalid output
 * types, message types and flags. Each line printed is a call with its
 * return value and errno, compared by t-nullargs.sh with nullargs.expected.
 * Built against our header and run against our library only: the original
 * asserts or crashes on many of these by design.
 *
 * The kernel-handle functions run with a NULL handle, and with a real one
 * (nfct_open; only a netlink socket, no request reaches the table) where
 * another pointer is NULL.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static int failures;

/* A call returning an integer (or a pointer shown as NULL / non-NULL). */
#define TRY(call) do { \
		long long r_; \
		errno = 0; \
		r_ = (long long)(call); \
		printf("%s = %lld errno %d\n", #call, r_, errno); \
	} while (0)
#define TRYP(call) do { \
		const void *p_; \
		errno = 0; \
		p_ = (call); \
		printf("%s = %s errno %d\n", #call, p_ ? "ptr" : "NULL", errno); \
	} while (0)
#define TRYV(call) do { \
		errno = 0; \
		call; \
		printf("%s errno %d\n", #call, errno); \
	} while (0)

static const int bad_ids[] = { -1, INT_MIN, ATTR_MAX, ATTR_MAX + 1, 1000, INT_MAX };

#define CANARY 0xa5

/* nfct_snprintf-like call into a buffer of `size` bytes within a larger
 * one; reports the result and whether bytes from `size` on changed. */
#define SNP(size, call) do { \
		char b_[64]; \
		int r_, i_, bad_ = 0; \
		char *buf = b_; \
		(void)buf; \
		memset(b_, CANARY, sizeof(b_)); \
		errno = 0; \
		r_ = (call); \
		for (i_ = (size); i_ < (int)sizeof(b_); i_++) \
			if ((unsigned char)b_[i_] != CANARY) \
				bad_ = 1; \
		printf("%s = %d errno %d, buf[0] %s, canaries %s\n", #call, r_, errno, \
		       (size) > 0 ? ((unsigned char)b_[0] == CANARY ? "untouched" : \
				     b_[0] == 0 ? "NUL" : "text") : "-", \
		       bad_ ? "OVERWRITTEN" : "intact"); \
		if (bad_) \
			failures++; \
	} while (0)

static void null_pointers(struct nf_conntrack *ct, struct nf_expect *exp)
{
	static uint64_t msgbuf[512];
	struct nlmsghdr *nlh = (struct nlmsghdr *)msgbuf;
	struct nfct_bitmask *b = nfct_bitmask_new(31);
	struct nfct_filter *f = nfct_filter_create();
	struct nfct_filter_dump *fd = nfct_filter_dump_create();
	enum nf_conntrack_attr arr[2] = { ATTR_ORIG_L3PROTO, ATTR_MARK };
	uint32_t v = 0;
	char buf[256];

	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	puts("# NULL pointers");
	TRY(nfct_attr_grp_is_set(NULL, ATTR_GRP_ORIG_IPV4));
	TRY(nfct_attr_grp_unset(NULL, ATTR_GRP_ORIG_IPV4));
	TRY(nfct_attr_is_set(NULL, ATTR_MARK));
	TRY(nfct_attr_is_set_array(NULL, arr, 2));
	TRY(nfct_attr_is_set_array(ct, NULL, 2));
	TRY(nfct_attr_is_set_array(ct, NULL, 0));
	TRY(nfct_attr_unset(NULL, ATTR_MARK));
	TRYV(nfct_bitmask_clear(NULL));
	TRYP(nfct_bitmask_clone(NULL));
	TRYV(nfct_bitmask_destroy(NULL));
	TRY(nfct_bitmask_equal(NULL, b));
	TRY(nfct_bitmask_equal(b, NULL));
	TRY(nfct_bitmask_equal(NULL, NULL));
	TRY(nfct_bitmask_maxbit(NULL));
	TRYV(nfct_bitmask_set_bit(NULL, 1));
	TRY(nfct_bitmask_test_bit(NULL, 1));
	TRYV(nfct_bitmask_unset_bit(NULL, 1));
	TRYP(nfct_clone(NULL));
	TRY(nfct_cmp(NULL, ct, NFCT_CMP_ALL));
	TRY(nfct_cmp(ct, NULL, NFCT_CMP_ALL));
	TRY(nfct_compare(NULL, ct));
	TRY(nfct_compare(ct, NULL));
	TRYV(nfct_copy(NULL, ct, NFCT_CP_ALL));
	TRYV(nfct_copy(ct, NULL, NFCT_CP_ALL));
	TRYV(nfct_copy_attr(NULL, ct, ATTR_MARK));
	TRYV(nfct_copy_attr(ct, NULL, ATTR_MARK));
	TRYV(nfct_destroy(NULL));
	TRYV(nfct_filter_add_attr(NULL, NFCT_FILTER_MARK, &v));
	TRYV(nfct_filter_add_attr(f, NFCT_FILTER_MARK, NULL));
	TRYV(nfct_filter_add_attr_u32(NULL, NFCT_FILTER_L4PROTO, 6));
	TRY(nfct_filter_attach(-1, NULL));
	TRYV(nfct_filter_destroy(NULL));
	TRY(nfct_filter_detach(-1));
	TRY(nfct_filter_set_logic(NULL, NFCT_FILTER_MARK, NFCT_FILTER_LOGIC_POSITIVE));
	TRYV(nfct_filter_dump_destroy(NULL));
	TRYV(nfct_filter_dump_set_attr(NULL, NFCT_FILTER_DUMP_MARK, &v));
	TRYV(nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_MARK, NULL));
	TRYV(nfct_filter_dump_set_attr_u8(NULL, NFCT_FILTER_DUMP_L3NUM, AF_INET));
	TRYV(nfct_filter_dump_set_attr_u16(NULL, NFCT_FILTER_DUMP_ZONE, 1));
	TRYP(nfct_get_attr(NULL, ATTR_MARK));
	TRY(nfct_get_attr_grp(NULL, ATTR_GRP_ORIG_IPV4, buf));
	TRY(nfct_get_attr_grp(ct, ATTR_GRP_ORIG_IPV4, NULL));
	TRY(nfct_get_attr_u8(NULL, ATTR_ORIG_L3PROTO));
	TRY(nfct_get_attr_u16(NULL, ATTR_ZONE));
	TRY(nfct_get_attr_u32(NULL, ATTR_MARK));
	TRY(nfct_get_attr_u64(NULL, ATTR_ORIG_COUNTER_BYTES));
	TRY(nfct_getobjopt(NULL, NFCT_GOPT_IS_SNAT));
	TRYV(nfct_labelmap_destroy(NULL));
	TRY(nfct_labelmap_get_bit(NULL, "x"));
	TRYP(nfct_labelmap_get_name(NULL, 0));
	TRYP(nfct_labelmap_new("/nonexistent/connlabel.conf"));
	TRY(nfct_nlmsg_build(NULL, ct));
	TRY(nfct_nlmsg_build(nlh, NULL));
	TRY(nfct_nlmsg_build_filter(NULL, fd));
	TRY(nfct_nlmsg_build_filter(nlh, NULL));
	TRY(nfct_nlmsg_parse(NULL, ct));
	TRY(nfct_nlmsg_parse(nlh, NULL));
	TRY(nfct_payload_parse(NULL, 4, AF_INET, ct));
	TRY(nfct_payload_parse(buf, 4, AF_INET, NULL));
	TRYV(nfct_set_attr(NULL, ATTR_MARK, &v));
	TRYV(nfct_set_attr(ct, ATTR_MARK, NULL));
	TRYV(nfct_set_attr_grp(NULL, ATTR_GRP_ORIG_IPV4, buf));
	TRYV(nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV4, NULL));
	TRYV(nfct_set_attr_l(NULL, ATTR_MARK, &v, 4));
	TRYV(nfct_set_attr_l(ct, ATTR_MARK, NULL, 4));
	TRYV(nfct_set_attr_u8(NULL, ATTR_ORIG_L3PROTO, AF_INET));
	TRYV(nfct_set_attr_u16(NULL, ATTR_ZONE, 1));
	TRYV(nfct_set_attr_u32(NULL, ATTR_MARK, 1));
	TRYV(nfct_set_attr_u64(NULL, ATTR_ORIG_COUNTER_BYTES, 1));
	TRY(nfct_setobjopt(NULL, NFCT_SOPT_UNDO_SNAT));
	TRY(nfct_sizeof(NULL));
	TRY(nfct_snprintf(NULL, 100, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	TRY(nfct_snprintf(buf, sizeof(buf), NULL, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	TRY(nfct_snprintf_labels(NULL, 100, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0, NULL));
	TRY(nfct_snprintf_labels(buf, sizeof(buf), NULL, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0, NULL));
	TRY(nfexp_attr_is_set(NULL, ATTR_EXP_TIMEOUT));
	TRY(nfexp_attr_unset(NULL, ATTR_EXP_TIMEOUT));
	TRYP(nfexp_clone(NULL));
	TRY(nfexp_cmp(NULL, exp, 0));
	TRY(nfexp_cmp(exp, NULL, 0));
	TRYV(nfexp_destroy(NULL));
	TRYP(nfexp_get_attr(NULL, ATTR_EXP_TIMEOUT));
	TRY(nfexp_get_attr_u8(NULL, ATTR_EXP_TIMEOUT));
	TRY(nfexp_get_attr_u16(NULL, ATTR_EXP_ZONE));
	TRY(nfexp_get_attr_u32(NULL, ATTR_EXP_TIMEOUT));
	TRY(nfexp_nlmsg_build(NULL, exp));
	TRY(nfexp_nlmsg_build(nlh, NULL));
	TRY(nfexp_nlmsg_parse(NULL, exp));
	TRY(nfexp_nlmsg_parse(nlh, NULL));
	TRYV(nfexp_set_attr(NULL, ATTR_EXP_TIMEOUT, &v));
	TRYV(nfexp_set_attr(exp, ATTR_EXP_TIMEOUT, NULL));
	TRYV(nfexp_set_attr_u8(NULL, ATTR_EXP_TIMEOUT, 1));
	TRYV(nfexp_set_attr_u16(NULL, ATTR_EXP_ZONE, 1));
	TRYV(nfexp_set_attr_u32(NULL, ATTR_EXP_TIMEOUT, 1));
	TRY(nfexp_sizeof(NULL));
	TRY(nfexp_snprintf(NULL, 100, exp, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	TRY(nfexp_snprintf(buf, sizeof(buf), NULL, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	/* Nothing above may have changed the objects. */
	TRY(nfct_attr_is_set(ct, ATTR_MARK));
	TRY(nfexp_attr_is_set(exp, ATTR_EXP_TIMEOUT));
	nfct_bitmask_destroy(b);
	nfct_filter_destroy(f);
	nfct_filter_dump_destroy(fd);
}

static int ct_cb(enum nf_conntrack_msg_type t, struct nf_conntrack *ct, void *d)
{
	(void)t; (void)ct; (void)d;
	return NFCT_CB_CONTINUE;
}

static int exp_cb(enum nf_conntrack_msg_type t, struct nf_expect *exp, void *d)
{
	(void)t; (void)exp; (void)d;
	return NFCT_CB_CONTINUE;
}

static void handle_cases(struct nf_conntrack *ct, struct nf_expect *exp)
{
	static uint64_t req[1024];
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct nfct_handle *h;

	puts("# kernel-handle functions");
	TRY(nfct_close(NULL));
	TRY(nfct_fd(NULL));
	TRYP(nfct_nfnlh(NULL));
	TRYP(nfct_open_nfnl(NULL, CONNTRACK, 0));
	TRY(nfct_query(NULL, NFCT_Q_GET, ct));
	TRY(nfct_send(NULL, NFCT_Q_GET, ct));
	TRY(nfct_catch(NULL));
	TRY(nfct_callback_register(NULL, NFCT_T_ALL, ct_cb, NULL));
	TRY(nfct_callback_register2(NULL, NFCT_T_ALL, NULL, NULL));
	TRYV(nfct_callback_unregister(NULL));
	TRYV(nfct_callback_unregister2(NULL));
	TRY(nfct_build_conntrack(NULL, req, sizeof(req), IPCTNL_MSG_CT_NEW, 0, ct));
	TRY(nfct_build_query(NULL, NFCT_Q_GET, ct, req, sizeof(req)));
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	TRY(nfct_parse_conntrack(NFCT_T_UPDATE, NULL, ct));
	TRY(nfct_parse_conntrack(NFCT_T_UPDATE, nlh, NULL));
	TRY(nfexp_query(NULL, NFCT_Q_GET, exp));
	TRY(nfexp_send(NULL, NFCT_Q_GET, exp));
	TRY(nfexp_catch(NULL));
	TRY(nfexp_callback_register(NULL, NFCT_T_ALL, exp_cb, NULL));
	TRY(nfexp_callback_register2(NULL, NFCT_T_ALL, NULL, NULL));
	TRYV(nfexp_callback_unregister(NULL));
	TRYV(nfexp_callback_unregister2(NULL));
	TRY(nfexp_build_expect(NULL, req, sizeof(req), IPCTNL_MSG_EXP_NEW, 0, exp));
	TRY(nfexp_build_query(NULL, NFCT_Q_GET, exp, req, sizeof(req)));
	TRY(nfexp_parse_expect(NFCT_T_UPDATE, NULL, exp));
	TRY(nfexp_parse_expect(NFCT_T_UPDATE, nlh, NULL));

	h = nfct_open(CONNTRACK, 0);
	printf("nfct_open %s\n", h ? "ok" : "failed");
	if (!h)
		return;
	TRY(nfct_query(h, NFCT_Q_CREATE, NULL));
	TRY(nfct_query(h, NFCT_Q_GET, NULL));
	TRY(nfct_query(h, 1000, ct));
	TRY(nfct_send(h, NFCT_Q_CREATE, NULL));
	TRY(nfct_callback_register(h, NFCT_T_ALL, NULL, NULL));
	TRY(nfct_callback_register2(h, NFCT_T_ALL, NULL, NULL));
	TRY(nfexp_query(h, NFCT_Q_CREATE, NULL));
	TRY(nfexp_send(h, NFCT_Q_CREATE, NULL));
	TRY(nfexp_callback_register(h, NFCT_T_ALL, NULL, NULL));
	TRY(nfexp_callback_register2(h, NFCT_T_ALL, NULL, NULL));
	TRY(nfct_close(h));
}

static void bad_ids_cases(struct nf_conntrack *ct, struct nf_expect *exp)
{
	static const int bad_grps[] = { -1, ATTR_GRP_MAX, 1000, INT_MAX };
	static const int bad_exp[] = { -1, ATTR_EXP_MAX, 1000, INT_MAX };
	struct nf_conntrack *other = nfct_new();
	struct nfct_filter *f = nfct_filter_create();
	struct nfct_filter_dump *fd = nfct_filter_dump_create();
	char buf[256];
	uint64_t big[8] = { 0 };
	unsigned i;

	puts("# ids out of range");
	for (i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		enum nf_conntrack_attr a = (enum nf_conntrack_attr)bad_ids[i];
		/* The first is set, so the bad id is looked at. */
		enum nf_conntrack_attr arr[2] = { ATTR_ORIG_L3PROTO, a };

		printf("id %d\n", bad_ids[i]);
		TRY(nfct_attr_is_set(ct, a));
		TRY(nfct_attr_unset(ct, a));
		TRY(nfct_attr_is_set_array(ct, arr, 2));
		TRYP(nfct_get_attr(ct, a));
		TRY(nfct_get_attr_u8(ct, a));
		TRY(nfct_get_attr_u16(ct, a));
		TRY(nfct_get_attr_u32(ct, a));
		TRY(nfct_get_attr_u64(ct, a));
		TRYV(nfct_set_attr(ct, a, big));
		TRYV(nfct_set_attr_l(ct, a, big, sizeof(big)));
		TRYV(nfct_set_attr_u8(ct, a, 1));
		TRYV(nfct_set_attr_u16(ct, a, 1));
		TRYV(nfct_set_attr_u32(ct, a, 1));
		TRYV(nfct_set_attr_u64(ct, a, 1));
		TRYV(nfct_copy_attr(other, ct, a));
	}
	for (i = 0; i < sizeof(bad_grps) / sizeof(bad_grps[0]); i++) {
		enum nf_conntrack_attr_grp g = (enum nf_conntrack_attr_grp)bad_grps[i];

		printf("group %d\n", bad_grps[i]);
		TRY(nfct_attr_grp_is_set(ct, g));
		TRY(nfct_attr_grp_unset(ct, g));
		TRY(nfct_get_attr_grp(ct, g, big));
		TRYV(nfct_set_attr_grp(ct, g, big));
	}
	for (i = 0; i < sizeof(bad_exp) / sizeof(bad_exp[0]); i++) {
		enum nf_expect_attr a = (enum nf_expect_attr)bad_exp[i];

		printf("expect id %d\n", bad_exp[i]);
		TRY(nfexp_attr_is_set(exp, a));
		TRY(nfexp_attr_unset(exp, a));
		TRYP(nfexp_get_attr(exp, a));
		TRY(nfexp_get_attr_u8(exp, a));
		TRY(nfexp_get_attr_u16(exp, a));
		TRY(nfexp_get_attr_u32(exp, a));
		TRYV(nfexp_set_attr(exp, a, big));
		TRYV(nfexp_set_attr_u8(exp, a, 1));
		TRYV(nfexp_set_attr_u16(exp, a, 1));
		TRYV(nfexp_set_attr_u32(exp, a, 1));
	}
	puts("# options, filter attributes and logic out of range");
	TRY(nfct_setobjopt(ct, NFCT_SOPT_MAX + 1));
	TRY(nfct_setobjopt(ct, UINT_MAX));
	TRY(nfct_getobjopt(ct, NFCT_GOPT_MAX + 1));
	TRY(nfct_getobjopt(ct, UINT_MAX));
	TRYV(nfct_filter_add_attr(f, NFCT_FILTER_MAX, big));
	TRYV(nfct_filter_add_attr(f, (enum nfct_filter_attr)-1, big));
	TRYV(nfct_filter_add_attr_u32(f, NFCT_FILTER_MAX, 6));
	TRYV(nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, 100000));
	TRY(nfct_filter_set_logic(f, NFCT_FILTER_MAX, NFCT_FILTER_LOGIC_NEGATIVE));
	TRY(nfct_filter_set_logic(f, (enum nfct_filter_attr)-1, NFCT_FILTER_LOGIC_NEGATIVE));
	TRY(nfct_filter_set_logic(f, NFCT_FILTER_MARK, (enum nfct_filter_logic)99));
	TRYV(nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_MAX, big));
	TRYV(nfct_filter_dump_set_attr(fd, (enum nfct_filter_dump_attr)-1, big));
	TRYV(nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_MAX, 1));
	TRYV(nfct_filter_dump_set_attr_u16(fd, NFCT_FILTER_DUMP_MAX, 1));
	/* The object is still usable. */
	TRY(nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	printf("  [%s]\n", buf);
	nfct_destroy(other);
	nfct_filter_destroy(f);
	nfct_filter_dump_destroy(fd);
}

static void long_strings(void)
{
	static const char longname[] = "0123456789abcdefghijklmnopqrstuvwxyz0123456789"
		"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz";
	struct nf_conntrack *ct = nfct_new();
	struct nf_expect *exp = nfexp_new();
	const char *s;

	puts("# over-long strings");
	TRYV(nfct_set_attr(ct, ATTR_HELPER_NAME, longname));
	s = nfct_get_attr(ct, ATTR_HELPER_NAME);
	printf("helper name [%s] length %zu\n", s ? s : "(null)", s ? strlen(s) : 0);
	TRYV(nfct_set_attr(ct, ATTR_HELPER_NAME, ""));
	s = nfct_get_attr(ct, ATTR_HELPER_NAME);
	printf("helper name [%s]\n", s ? s : "(null)");
	/* The security context comes from the kernel only; setting it is
	 * accepted or ignored, never overflows. */
	TRYV(nfct_set_attr(ct, ATTR_SECCTX, longname));
	TRY(nfct_attr_is_set(ct, ATTR_SECCTX));
	TRYV(nfct_set_attr_l(ct, ATTR_HELPER_INFO, longname, sizeof(longname)));
	TRY(nfct_attr_is_set(ct, ATTR_HELPER_INFO));
	TRYV(nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, longname));
	s = nfexp_get_attr(exp, ATTR_EXP_HELPER_NAME);
	printf("expect helper name [%s] length %zu\n", s ? s : "(null)", s ? strlen(s) : 0);
	TRYV(nfexp_set_attr(exp, ATTR_EXP_FN, longname));
	s = nfexp_get_attr(exp, ATTR_EXP_FN);
	printf("expect fn [%s] length %zu\n", s ? s : "(null)", s ? strlen(s) : 0);
	TRY(nfct_labelmap_get_bit(NULL, longname));
	/* Lengths that do not match the attribute. */
	TRYV(nfct_set_attr_l(ct, ATTR_ORIG_IPV6_SRC, longname, 2));
	TRY(nfct_attr_is_set(ct, ATTR_ORIG_IPV6_SRC));
	TRYV(nfct_set_attr_l(ct, ATTR_MARK, longname, 0));
	TRY(nfct_attr_is_set(ct, ATTR_MARK));
	TRYV(nfct_set_attr_l(ct, ATTR_HELPER_INFO, longname, 0));
	TRYV(nfct_set_attr_l(ct, ATTR_HELPER_NAME, longname, 3));
	s = nfct_get_attr(ct, ATTR_HELPER_NAME);
	printf("helper name [%s]\n", s ? s : "(null)");
	nfct_destroy(ct);
	nfexp_destroy(exp);
}

static void label_bits(const char *mapfile)
{
	struct nfct_bitmask *b = nfct_bitmask_new(10), *c;
	struct nfct_labelmap *m;

	puts("# label bits beyond the bitmask");
	TRY(nfct_bitmask_maxbit(b));
	TRYV(nfct_bitmask_set_bit(b, 11));
	TRYV(nfct_bitmask_set_bit(b, 32));
	TRYV(nfct_bitmask_set_bit(b, 1000));
	TRYV(nfct_bitmask_set_bit(b, UINT_MAX));
	TRY(nfct_bitmask_test_bit(b, 11));
	TRY(nfct_bitmask_test_bit(b, 32));
	TRY(nfct_bitmask_test_bit(b, 1000));
	TRY(nfct_bitmask_test_bit(b, UINT_MAX));
	TRYV(nfct_bitmask_unset_bit(b, UINT_MAX));
	TRYV(nfct_bitmask_set_bit(b, 10));
	TRY(nfct_bitmask_test_bit(b, 10));
	c = nfct_bitmask_clone(b);
	TRY(nfct_bitmask_equal(b, c));
	nfct_bitmask_destroy(c);
	c = nfct_bitmask_new(100);
	TRY(nfct_bitmask_equal(b, c));
	nfct_bitmask_destroy(c);
	TRYP(nfct_bitmask_new(UINT_MAX));
	TRYP(c = nfct_bitmask_new(2047));
	nfct_bitmask_destroy(c);
	nfct_bitmask_destroy(b);

	m = nfct_labelmap_new(mapfile);
	printf("labelmap %s\n", m ? "loaded" : "missing");
	if (m) {
		TRYP(nfct_labelmap_get_name(m, 1023));
		TRYP(nfct_labelmap_get_name(m, 1024));
		TRYP(nfct_labelmap_get_name(m, UINT_MAX));
		TRY(nfct_labelmap_get_bit(m, ""));
		TRY(nfct_labelmap_get_bit(m, NULL));
		nfct_labelmap_destroy(m);
	}
}

static void small_buffers(struct nf_conntrack *ct, struct nf_expect *exp)
{
	puts("# snprintf into buffers of size 0 and 1");
	SNP(0, nfct_snprintf(buf, 0, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	SNP(1, nfct_snprintf(buf, 1, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	SNP(0, nfct_snprintf(buf, 0, ct, NFCT_T_NEW, NFCT_O_XML, NFCT_OF_TIME));
	SNP(1, nfct_snprintf(buf, 1, ct, NFCT_T_NEW, NFCT_O_XML, NFCT_OF_SHOW_LAYER3));
	SNP(0, nfct_snprintf_labels(buf, 0, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0, NULL));
	SNP(1, nfct_snprintf_labels(buf, 1, ct, NFCT_T_UNKNOWN, NFCT_O_XML, 0, NULL));
	SNP(0, nfexp_snprintf(buf, 0, exp, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	SNP(1, nfexp_snprintf(buf, 1, exp, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	SNP(0, nfexp_snprintf(buf, 0, exp, NFCT_T_DESTROY, NFCT_O_XML, NFCT_OF_TIME));
	SNP(1, nfexp_snprintf(buf, 1, exp, NFCT_T_DESTROY, NFCT_O_XML, 0));
	SNP(7, nfct_snprintf(buf, 7, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));
	SNP(7, nfexp_snprintf(buf, 7, exp, NFCT_T_UNKNOWN, NFCT_O_XML, 0));
	SNP(0, nfct_snprintf(NULL, 0, ct, NFCT_T_UNKNOWN, NFCT_O_DEFAULT, 0));

	puts("# invalid output types, message types and flags");
	SNP(64, nfct_snprintf(buf, 64, ct, NFCT_T_UNKNOWN, 99, 0));
	SNP(64, nfct_snprintf(buf, 64, ct, NFCT_T_UNKNOWN, UINT_MAX, 0));
	SNP(64, nfct_snprintf(buf, 64, ct, 1000, NFCT_O_DEFAULT, 0));
	/* Every flag but NFCT_OF_TIME, whose output depends on the clock. */
	SNP(64, nfct_snprintf(buf, 64, ct, NFCT_T_ALL, NFCT_O_XML, UINT_MAX & ~NFCT_OF_TIME));
	SNP(64, nfexp_snprintf(buf, 64, exp, NFCT_T_UNKNOWN, 99, 0));
	SNP(64, nfexp_snprintf(buf, 64, exp, UINT_MAX, NFCT_O_DEFAULT, UINT_MAX));
	TRY(nfct_cmp(ct, ct, UINT_MAX));
	TRY(nfexp_cmp(exp, exp, UINT_MAX));
	TRYV(nfct_copy(ct, ct, UINT_MAX));
}

int main(int argc, char **argv)
{
	struct nf_conntrack *ct = nfct_new();
	struct nf_expect *exp = nfexp_new();

	setvbuf(stdout, NULL, _IOLBF, 0);
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, htonl(0x0a000001));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, htonl(0x0a000002));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1234));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(80));
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 100);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 10);
	nfexp_set_attr(exp, ATTR_EXP_MASTER, ct);
	nfexp_set_attr(exp, ATTR_EXP_EXPECTED, ct);
	nfexp_set_attr(exp, ATTR_EXP_MASK, ct);

	null_pointers(ct, exp);
	handle_cases(ct, exp);
	bad_ids_cases(ct, exp);
	long_strings();
	label_bits(argc > 1 ? argv[1] : "/nonexistent");
	small_buffers(ct, exp);
	nfct_destroy(ct);
	nfexp_destroy(exp);
	printf("done, %d canary failures\n", failures);
	return failures ? 1 : 0;
}
