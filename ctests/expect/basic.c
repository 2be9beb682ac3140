/* Expectation objects without conntrack objects: allocation, integer and
 * string attributes, out-of-range ids, comparison. Prints every outcome;
 * the output must not depend on which library is loaded. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static void show(struct nf_expect *e, int id)
{
	const void *p;
	int r;

	errno = 0;
	r = nfexp_attr_is_set(e, id);
	printf("  attr %d: is_set=%d errno=%d", id, r, errno);
	errno = 0;
	p = nfexp_get_attr(e, id);
	printf(" get=%s errno=%d", p ? "ptr" : "NULL", errno);
	errno = 0;
	printf(" u8=%u", nfexp_get_attr_u8(e, id));
	printf("/%d", errno);
	errno = 0;
	printf(" u16=%u", nfexp_get_attr_u16(e, id));
	printf("/%d", errno);
	errno = 0;
	printf(" u32=%#x", nfexp_get_attr_u32(e, id));
	printf("/%d\n", errno);
}

static void show_all(const char *what, struct nf_expect *e)
{
	printf("%s\n", what);
	for (int id = -1; id <= ATTR_EXP_MAX + 1; id++)
		show(e, id);
}

static void str(const char *what, struct nf_expect *e, int id)
{
	const char *s = nfexp_get_attr(e, id);
	printf("%s: %s len=%zu\n", what, s ? s : "(null)", s ? strlen(s) : 0);
}

static void cmps(const char *what, struct nf_expect *a, struct nf_expect *b)
{
	static const unsigned int flags[] = {
		0, NFCT_CMP_MASK, NFCT_CMP_STRICT, NFCT_CMP_MASK | NFCT_CMP_STRICT,
		NFCT_CMP_ALL | NFCT_CMP_TIMEOUT_EQ,
	};
	printf("cmp %s:", what);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		printf(" %d/%d", nfexp_cmp(a, b, flags[i]), nfexp_cmp(b, a, flags[i]));
	printf("\n");
}

int main(void)
{
	struct nf_expect *e = nfexp_new(), *f, *g;
	uint32_t v32;
	uint16_t v16;
	int r;

	printf("maxsize=%zu sizeof=%zu\n", nfexp_maxsize(), nfexp_sizeof(e));
	show_all("empty", e);

	v32 = 300;
	nfexp_set_attr(e, ATTR_EXP_TIMEOUT, &v32);
	v16 = 0x1234;
	nfexp_set_attr(e, ATTR_EXP_ZONE, &v16);
	nfexp_set_attr_u32(e, ATTR_EXP_FLAGS, 0x80000005);
	nfexp_set_attr_u32(e, ATTR_EXP_CLASS, 0x01020304);
	nfexp_set_attr_u32(e, ATTR_EXP_NAT_DIR, 1);
	nfexp_set_attr(e, ATTR_EXP_HELPER_NAME, "ftp");
	nfexp_set_attr(e, ATTR_EXP_FN, "nat-follow-master");
	show_all("integers and strings set", e);
	str("helper", e, ATTR_EXP_HELPER_NAME);
	str("fn", e, ATTR_EXP_FN);

	/* Widths: the zone keeps the first two bytes of a 32-bit value. */
	nfexp_set_attr_u32(e, ATTR_EXP_ZONE, 0xabcd5678);
	printf("zone from u32: u16=%#x u32=%#x\n", nfexp_get_attr_u16(e, ATTR_EXP_ZONE),
	       nfexp_get_attr_u32(e, ATTR_EXP_ZONE));
	nfexp_set_attr_u16(e, ATTR_EXP_ZONE, 0x9abc);
	printf("zone from u16: u16=%#x u8=%#x\n", nfexp_get_attr_u16(e, ATTR_EXP_ZONE),
	       nfexp_get_attr_u8(e, ATTR_EXP_ZONE));
	nfexp_set_attr_u32(e, ATTR_EXP_TIMEOUT, 0xdeadbeef);
	printf("timeout: u8=%#x u16=%#x u32=%#x\n", nfexp_get_attr_u8(e, ATTR_EXP_TIMEOUT),
	       nfexp_get_attr_u16(e, ATTR_EXP_TIMEOUT), nfexp_get_attr_u32(e, ATTR_EXP_TIMEOUT));

	/* Strings: truncation, leftovers after a shorter one, integer images. */
	nfexp_set_attr(e, ATTR_EXP_HELPER_NAME, "0123456789abcdefghijklmnop");
	str("helper long", e, ATTR_EXP_HELPER_NAME);
	nfexp_set_attr(e, ATTR_EXP_HELPER_NAME, "ab");
	str("helper short", e, ATTR_EXP_HELPER_NAME);
	printf("helper as u32=%#x u16=%#x u8=%#x\n", nfexp_get_attr_u32(e, ATTR_EXP_HELPER_NAME),
	       nfexp_get_attr_u16(e, ATTR_EXP_HELPER_NAME), nfexp_get_attr_u8(e, ATTR_EXP_HELPER_NAME));
	nfexp_set_attr(e, ATTR_EXP_FN, "abcdefghijklmnopqrstuvwxyz0123456789");
	str("fn long", e, ATTR_EXP_FN);
	nfexp_set_attr(e, ATTR_EXP_FN, "");
	str("fn empty", e, ATTR_EXP_FN);
	printf("fn empty is_set=%d u32=%#x\n", nfexp_attr_is_set(e, ATTR_EXP_FN),
	       nfexp_get_attr_u32(e, ATTR_EXP_FN));
	nfexp_set_attr_u32(e, ATTR_EXP_FN, 0x00636261); /* "abc\0" */
	str("fn from u32", e, ATTR_EXP_FN);
	nfexp_set_attr_u16(e, ATTR_EXP_HELPER_NAME, 0x0071); /* "q\0" */
	str("helper from u16", e, ATTR_EXP_HELPER_NAME);
	nfexp_set_attr_u8(e, ATTR_EXP_HELPER_NAME, 0);
	str("helper from u8 0", e, ATTR_EXP_HELPER_NAME);

	/* Out-of-range ids are ignored by the setters. */
	v32 = 7;
	nfexp_set_attr(e, ATTR_EXP_MAX, &v32);
	nfexp_set_attr(e, -1, &v32);
	nfexp_set_attr_u32(e, ATTR_EXP_MAX, 7);
	nfexp_set_attr_u16(e, 100, 7);
	nfexp_set_attr_u8(e, -5, 7);

	/* Unset keeps nothing visible; set again afterwards. */
	errno = 0;
	r = nfexp_attr_unset(e, ATTR_EXP_CLASS);
	printf("unset class=%d errno=%d\n", r, errno);
	errno = 0;
	r = nfexp_attr_unset(e, ATTR_EXP_CLASS);
	printf("unset class again=%d errno=%d\n", r, errno);
	show_all("after changes", e);

	/* Clone and compare. */
	f = nfexp_clone(e);
	printf("clone sizeof=%zu\n", nfexp_sizeof(f));
	show_all("clone", f);
	cmps("clone", e, f);
	nfexp_set_attr_u32(f, ATTR_EXP_TIMEOUT, 1);
	cmps("timeout differs", e, f);
	nfexp_attr_unset(f, ATTR_EXP_TIMEOUT);
	cmps("timeout one-sided", e, f);
	nfexp_set_attr_u32(f, ATTR_EXP_CLASS, 9);
	cmps("class one-sided", e, f);
	nfexp_set_attr_u32(e, ATTR_EXP_CLASS, 9);
	cmps("class same", e, f);
	nfexp_set_attr_u32(e, ATTR_EXP_CLASS, 8);
	cmps("class differs", e, f);
	nfexp_set_attr_u32(e, ATTR_EXP_CLASS, 9);

	nfexp_set_attr(f, ATTR_EXP_HELPER_NAME, "x");
	cmps("helper differs", e, f);
	nfexp_set_attr(f, ATTR_EXP_HELPER_NAME, "");
	cmps("helper same", e, f);
	nfexp_attr_unset(e, ATTR_EXP_HELPER_NAME);
	cmps("helper one-sided", e, f);
	nfexp_attr_unset(f, ATTR_EXP_HELPER_NAME);

	static const int ints[] = { ATTR_EXP_ZONE, ATTR_EXP_FLAGS, ATTR_EXP_NAT_DIR };
	for (size_t i = 0; i < 3; i++) {
		char what[64];
		uint32_t old = nfexp_get_attr_u32(f, ints[i]);
		nfexp_set_attr_u32(f, ints[i], old + 1);
		snprintf(what, sizeof(what), "attr %d differs", ints[i]);
		cmps(what, e, f);
		nfexp_attr_unset(f, ints[i]);
		snprintf(what, sizeof(what), "attr %d one-sided", ints[i]);
		cmps(what, e, f);
		nfexp_set_attr_u32(f, ints[i], old);
	}
	nfexp_set_attr(f, ATTR_EXP_FN, "other");
	cmps("fn differs", e, f);
	nfexp_attr_unset(f, ATTR_EXP_FN);
	cmps("fn one-sided", e, f);

	g = nfexp_new();
	cmps("empty vs full", g, e);
	nfexp_destroy(g);
	nfexp_destroy(f);
	g = nfexp_new();
	f = nfexp_new();
	cmps("both empty", g, f);
	nfexp_destroy(g);
	nfexp_destroy(f);
	nfexp_destroy(e);
	return 0;
}
