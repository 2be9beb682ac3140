/* Helpers shared by the kernel tests: printing conntracks and
 * expectations without their volatile fields (ids, timeouts, timestamps,
 * use counts), and collecting lines to print them sorted, since the
 * kernel dumps entries in hash order. */
#ifndef KTEST_COMMON_H
#define KTEST_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#define MAXLINES 512

static char *lines[MAXLINES];
static int nlines;

static inline void collect(const char *s)
{
	if (nlines < MAXLINES)
		lines[nlines++] = strdup(s);
}

static inline int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the collected lines sorted, with a prefix, and forgets them. */
static inline void flush_lines(const char *prefix)
{
	qsort(lines, nlines, sizeof(lines[0]), cmpstr);
	for (int i = 0; i < nlines; i++) {
		printf("%s%s\n", prefix, lines[i]);
		free(lines[i]);
	}
	nlines = 0;
}

/* The text of a conntrack without its volatile attributes. */
static inline void ct_text(char *buf, size_t len, const struct nf_conntrack *ct,
		    unsigned int type)
{
	struct nf_conntrack *c = nfct_clone(ct);

	nfct_attr_unset(c, ATTR_ID);
	nfct_attr_unset(c, ATTR_TIMEOUT);
	nfct_attr_unset(c, ATTR_USE);
	nfct_attr_unset(c, ATTR_TIMESTAMP_START);
	nfct_attr_unset(c, ATTR_TIMESTAMP_STOP);
	nfct_snprintf(buf, len, c, type, NFCT_O_DEFAULT, NFCT_OF_SHOW_LAYER3);
	nfct_destroy(c);
}

static inline void exp_text(char *buf, size_t len, const struct nf_expect *exp,
		     unsigned int type)
{
	struct nf_expect *e = nfexp_clone(exp);

	nfexp_attr_unset(e, ATTR_EXP_TIMEOUT);
	nfexp_snprintf(buf, len, e, type, NFCT_O_DEFAULT, 0);
	nfexp_destroy(e);
}

/* Prints a return value and, when negative, errno. */
#define SHOW(what, expr) do { \
	int r_; errno = 0; r_ = (expr); \
	if (r_ < 0) printf("%s = %d errno=%s\n", what, r_, strerror(errno)); \
	else printf("%s = %d\n", what, r_); \
} while (0)

static inline void set_addr4(struct nf_conntrack *ct, int attr, const char *a)
{
	nfct_set_attr_u32(ct, attr, inet_addr(a));
}

static inline void set_addr6(struct nf_conntrack *ct, int attr, const char *a)
{
	struct in6_addr x;

	inet_pton(AF_INET6, a, &x);
	nfct_set_attr(ct, attr, &x);
}

#endif
