/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differential test of the bitmask and label map functions: prints what
 * each call returns so that the output of a run against the original
 * library can be compared with a run against ours.
 *
 * Usage: labels TMPDIR   (label map files are written there)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static const char *tmpdir;
static char path[4096];

static void show_bits(const char *tag, const struct nfct_bitmask *b, unsigned int upto)
{
	unsigned int i;

	printf("%s maxbit=%u set:", tag, nfct_bitmask_maxbit(b));
	for (i = 0; i <= upto; i++)
		if (nfct_bitmask_test_bit(b, i))
			printf(" %u", i);
	printf("\n");
}

static void test_bitmask(void)
{
	static const unsigned int sizes[] = {
		0, 1, 30, 31, 32, 33, 63, 64, 95, 96, 127, 128, 1023,
		0xfffe, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0xffffffe0u,
		0xffffffffu,
	};
	static const unsigned int bits[] = {
		0, 1, 5, 31, 32, 33, 63, 64, 95, 96, 127, 128, 200, 1023, 1024,
		0xffff, 0x10000, 0xffffffffu,
	};
	struct nfct_bitmask *a, *b, *c;
	unsigned int i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		errno = 0;
		a = nfct_bitmask_new(sizes[i]);
		if (!a) {
			printf("new(%u) = NULL errno=%d\n", sizes[i], errno);
			continue;
		}
		printf("new(%u) maxbit=%u\n", sizes[i], nfct_bitmask_maxbit(a));
		for (j = 0; j < sizeof(bits) / sizeof(bits[0]); j++) {
			nfct_bitmask_set_bit(a, bits[j]);
			printf("  set %u -> %d", bits[j], nfct_bitmask_test_bit(a, bits[j]));
			nfct_bitmask_unset_bit(a, bits[j]);
			printf(" unset -> %d\n", nfct_bitmask_test_bit(a, bits[j]));
		}
		for (j = 0; j < sizeof(bits) / sizeof(bits[0]); j++)
			nfct_bitmask_set_bit(a, bits[j]);
		b = nfct_bitmask_clone(a);
		printf("  clone equal=%d maxbit=%u\n", nfct_bitmask_equal(a, b),
		       nfct_bitmask_maxbit(b));
		show_bits("  bits", b, 0x10001);
		nfct_bitmask_unset_bit(b, 0);
		printf("  after unset 0: equal=%d\n", nfct_bitmask_equal(a, b));
		nfct_bitmask_clear(a);
		show_bits("  cleared", a, 0x10001);
		c = nfct_bitmask_new(0);
		printf("  equal to new(0): %d\n", nfct_bitmask_equal(a, c));
		nfct_bitmask_destroy(c);
		nfct_bitmask_destroy(b);
		nfct_bitmask_destroy(a);
	}

	/* Same bits, different sizes. */
	a = nfct_bitmask_new(31);
	b = nfct_bitmask_new(32);
	c = nfct_bitmask_new(0);
	printf("equal 31/32=%d 31/0=%d 0/31=%d\n", nfct_bitmask_equal(a, b),
	       nfct_bitmask_equal(a, c), nfct_bitmask_equal(c, a));
	nfct_bitmask_set_bit(a, 7);
	printf("equal after set: %d\n", nfct_bitmask_equal(a, c));
	nfct_bitmask_set_bit(c, 7);
	printf("equal after both set: %d\n", nfct_bitmask_equal(a, c));
	nfct_bitmask_destroy(a);
	nfct_bitmask_destroy(b);
	nfct_bitmask_destroy(c);

	/* Defined for NULL upstream: free(NULL). */
	nfct_bitmask_destroy(NULL);
}

static void show_map(const char *tag, struct nfct_labelmap *m)
{
	static const char *probe[] = {
		"", " ", "a", "A", "foo", "foo bar", "eth0-in", "0", "x", "xg",
		"8", "tail", "last", "ok", "b", "zero", "sixty-three",
	};
	unsigned int bit, count = 0;
	const char *name;
	size_t i;

	printf("%s:", tag);
	for (bit = 0; bit < 1100; bit++) {
		name = nfct_labelmap_get_name(m, bit);
		if (!name)
			break;
		count++;
		if (name[0] == '\0')
			continue;
		printf(" %u=\"%s\"", bit, name);
		if (nfct_labelmap_get_bit(m, name) != (int)bit)
			printf("(get_bit %d)", nfct_labelmap_get_bit(m, name));
	}
	printf(" | count=%u", count);
	printf(" far=%s", nfct_labelmap_get_name(m, 0xffffffffu) ? "name" : "NULL");
	for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		printf(" %d", nfct_labelmap_get_bit(m, probe[i]));
	printf("\n");
}

static void try_map(const char *tag, const char *file)
{
	struct nfct_labelmap *m;

	errno = 0;
	m = nfct_labelmap_new(file);
	if (!m) {
		printf("%s: NULL errno=%d\n", tag, errno);
		return;
	}
	show_map(tag, m);
	nfct_labelmap_destroy(m);
}

static void map_from(const char *tag, const void *data, size_t len)
{
	FILE *fp;

	snprintf(path, sizeof(path), "%s/connlabel.conf", tmpdir);
	fp = fopen(path, "w");
	if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
	try_map(tag, path);
}

#define MAP(tag, lit) map_from(tag, lit, sizeof(lit) - 1)

static void test_fixed_maps(void)
{
	char big[3000];

	MAP("plain", "0 eth0-in\n1\tfoo bar \n# 2 hidden\n\n5 five\n");
	MAP("numbers", "0x1f hex\n010 octal\n  +3 plus\n-0 minuszero\n\v\r7 lead\n"
		       "9name\n08 eight\n0xg zerox\n");
	MAP("octal-name", "08 eight\n");
	MAP("zerox", "0xg\n");
	MAP("zeroX", "0X1A upper\n0x\n");
	MAP("bad", "1024 toobig\n-1 negative\n99999999999999999999999 huge\nfoo 3\n"
		   "4\n4   \n4 bad_name\n4 bad;name\n4 caf\xc3\xa9\n #5 x\n"
		   "6 ok # comment\n7 ok2\n");
	MAP("dups", "1 a\n1 b\n2 a\n3 b\n1023 last\n");
	MAP("skipped-claims-nothing", "2 x!\n2 y\n");
	MAP("empty", "");
	MAP("comments-only", "# only\n\nx y\n");
	MAP("crlf", "1 dos\r\n2 end");
	MAP("nul", "1 ab\0cd\n2 ef\n\0003 gh\n");
	MAP("spaces-inside", "3   a  b   c \t\n4 \f\v x\t\r\n");
	MAP("newline-first", "\n\n12\n13 \n14 thirteen\n");
	MAP("bit-zero-only", "0 zero\n");
	MAP("max", "1023 top\n");
	MAP("ws-before-number", " \t\n 6 six\n");
	MAP("long-numbers", "0000000000000000000000000000000000000000000000000000000000017 seventeen\n"
			    "18446744073709551615 ulongmax\n18446744073709551616 over\n"
			    "-18446744073709551615 wrap\n");

	/* A 1023-byte comment piece, then its tail read as a line. */
	memset(big, 'x', sizeof(big));
	big[0] = '#';
	memcpy(big + 1023, "12 tail\n", 8);
	map_from("long-comment", big, 1031);
	/* A name cut at the 1023-byte piece. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "3 ", 2);
	big[1028] = '\n';
	map_from("long-name", big, 1029);
	/* 1022 bytes plus newline fit in one piece. */
	memset(big, 'b', sizeof(big));
	memcpy(big, "4 ", 2);
	big[1022] = '\n';
	memcpy(big + 1023, "5 c\n", 4);
	map_from("exact-piece", big, 1027);
	/* A line split so that the second piece starts with a number. */
	memset(big, ' ', sizeof(big));
	memcpy(big, "7 seven", 7);
	memcpy(big + 1023, "8 eight\n", 8);
	map_from("split-number", big, 1031);

	try_map("missing", "/nonexistent/connlabel.conf");
	try_map("empty-path", "");
	try_map("directory", tmpdir);
}

/* Pseudo-random files from a fixed seed, built from the characters the
 * parser cares about. */
static void test_random_maps(void)
{
	static const char alphabet[] = "0123456789 \t\n\n\n\n#xX-+aZ;\r\v\f\0";
	static const char *words[] = {
		"1 a", "0x10 ", "07 ", "1023 ", "1024 ", "-0 ", " ", "\n", "#",
		"name", "dup", "two words", "99 ", "\n5 five\n", "\r\n",
	};
	unsigned int seed = 20240607, n, i, len;
	char buf[4096], tag[32];

	for (n = 0; n < 400; n++) {
		len = 0;
		while (len < sizeof(buf) - 64) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 97 == 0)
				break;
			if ((seed >> 8) & 1) {
				const char *w = words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))];
				memcpy(buf + len, w, strlen(w));
				len += strlen(w);
			} else {
				buf[len++] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
		}
		snprintf(tag, sizeof(tag), "random-%u", n);
		map_from(tag, buf, len);
	}
	for (i = 0; i < 3; i++) {
		len = 0;
		while (len < sizeof(buf) - 16) {
			seed = seed * 1103515245u + 12345u;
			len += snprintf(buf + len, 16, "%u l%u\n", (seed >> 16) % 1100, len);
		}
		snprintf(tag, sizeof(tag), "numbered-%u", i);
		map_from(tag, buf, len);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s TMPDIR\n", argv[0]);
		return 2;
	}
	tmpdir = argv[1];

	printf("path=%s\n", nfct_labels_get_path());
	test_bitmask();
	test_fixed_maps();
	test_random_maps();
	/* The default file: both libraries read the same one, if any. */
	try_map("default", NULL);
	/* Defined for a NULL map upstream: -1. */
	printf("get_bit(NULL)=%d\n", nfct_labelmap_get_bit(NULL, "a"));
	return 0;
}
