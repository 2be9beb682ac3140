// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shared helpers of the example programs: option parsing, tuple set-up
 * and the result lines described in common.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "common.h"

struct optdesc {
	const char *name;
	const char *arg;
	const char *help;
};

static const struct optdesc optdesc[OPT_MAX] = {
	[OPT_SRC]	= { "src",	 "ADDR",     "original source address (1.1.1.1)" },
	[OPT_DST]	= { "dst",	 "ADDR",     "original destination address (2.2.2.2)" },
	[OPT_PROTO]	= { "proto",	 "tcp|udp",  "layer 4 protocol (tcp)" },
	[OPT_SPORT]	= { "sport",	 "PORT",     "original source port (1025)" },
	[OPT_DPORT]	= { "dport",	 "PORT",     "original destination port (21)" },
	[OPT_MARK]	= { "mark",	 "N[/MASK]", "connection mark (mask 0xffffffff)" },
	[OPT_ZONE]	= { "zone",	 "N",	     "conntrack zone" },
	[OPT_TIMEOUT]	= { "timeout",	 "SECS",     "timeout (600)" },
	[OPT_LABEL]	= { "label",	 "BIT",	     "connection label bit, 0-127" },
	[OPT_STATE]	= { "state",	 "NAME",     "TCP state, e.g. SYN_SENT (ESTABLISHED)" },
	[OPT_SNAT]	= { "snat",	 "ADDR",     "source NAT address" },
	[OPT_DNAT]	= { "dnat",	 "ADDR",     "destination NAT address" },
	[OPT_SNAT_PORT] = { "snat-port", "PORT",     "source NAT port" },
	[OPT_DNAT_PORT] = { "dnat-port", "PORT",     "destination NAT port" },
	[OPT_EXP_DPORT] = { "exp-dport", "PORT",     "expected destination port (10241)" },
	[OPT_HELPER]	= { "helper",	 "NAME",     "helper name (ftp)" },
	[OPT_EXPFN]	= { "expfn",	 "NAME",     "expectation function (nat-follow-master)" },
	[OPT_FAMILY]	= { "family",	 "inet|inet6|unspec", "layer 3 family (inet)" },
	[OPT_COUNT]	= { "count",	 "N",	     "stop after N objects (0: no limit)" },
	[OPT_WAIT]	= { "wait",	 "SECS",     "give up after SECS seconds (10)" },
};

static const char *const tcp_states[] = {
	[TCP_CONNTRACK_NONE]		= "NONE",
	[TCP_CONNTRACK_SYN_SENT]	= "SYN_SENT",
	[TCP_CONNTRACK_SYN_RECV]	= "SYN_RECV",
	[TCP_CONNTRACK_ESTABLISHED]	= "ESTABLISHED",
	[TCP_CONNTRACK_FIN_WAIT]	= "FIN_WAIT",
	[TCP_CONNTRACK_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_CONNTRACK_LAST_ACK]	= "LAST_ACK",
	[TCP_CONNTRACK_TIME_WAIT]	= "TIME_WAIT",
	[TCP_CONNTRACK_CLOSE]		= "CLOSE",
};

static void usage(const char *prog, uint32_t allowed, int status)
{
	FILE *f = status ? stderr : stdout;

	fprintf(f, "usage: %s [options]\n", prog);
	for (int i = 0; i < OPT_MAX; i++) {
		if (!(allowed & OPTBIT(i)))
			continue;
		fprintf(f, "  --%s %s\n\t%s\n", optdesc[i].name,
			optdesc[i].arg, optdesc[i].help);
	}
	exit(status);
}

static unsigned long number(const char *prog, const char *opt,
			    const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end != '\0' || v > max || s[0] == '-') {
		fprintf(stderr, "%s: --%s: bad number \"%s\" (at most %lu)\n",
			prog, opt, s, max);
		exit(2);
	}
	return v;
}

/* Parses an address; records its family in *family, which must agree. */
static void address(const char *prog, const char *opt, const char *s,
		    union addr *out, int *family)
{
	int f = strchr(s, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(f, s, out) != 1) {
		fprintf(stderr, "%s: --%s: bad address \"%s\"\n", prog, opt, s);
		exit(2);
	}
	if (*family != AF_UNSPEC && *family != f) {
		fprintf(stderr, "%s: --%s: address families differ\n", prog, opt);
		exit(2);
	}
	*family = f;
}

void parse_args(int argc, char **argv, uint32_t allowed, struct args *a)
{
	struct option longopts[OPT_MAX + 2];
	const char *prog = argv[0];
	const char *src = "1.1.1.1", *dst = "2.2.2.2";
	const char *snat = NULL, *dnat = NULL;
	int n = 0, c;

	memset(a, 0, sizeof(*a));
	a->proto = IPPROTO_TCP;
	a->sport = 1025;
	a->dport = 21;
	a->mark_mask = 0xffffffff;
	a->timeout = 600;
	a->state = TCP_CONNTRACK_ESTABLISHED;
	a->exp_dport = 10241;
	a->helper = "ftp";
	a->expfn = "nat-follow-master";
	a->dump_family = AF_INET;
	a->wait = 10;

	for (int i = 0; i < OPT_MAX; i++) {
		if (!(allowed & OPTBIT(i)))
			continue;
		longopts[n++] = (struct option){ optdesc[i].name,
						 required_argument, NULL, i };
	}
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		const char *name = c >= 0 && c < OPT_MAX ? optdesc[c].name : "";
		char *slash;

		switch (c) {
		case 'h':
			usage(prog, allowed, 0);
			break;
		case OPT_SRC:
			src = optarg;
			break;
		case OPT_DST:
			dst = optarg;
			break;
		case OPT_SNAT:
			snat = optarg;
			break;
		case OPT_DNAT:
			dnat = optarg;
			break;
		case OPT_PROTO:
			if (strcmp(optarg, "tcp") == 0)
				a->proto = IPPROTO_TCP;
			else if (strcmp(optarg, "udp") == 0)
				a->proto = IPPROTO_UDP;
			else
				usage(prog, allowed, 2);
			break;
		case OPT_SPORT:
			a->sport = number(prog, name, optarg, UINT16_MAX);
			break;
		case OPT_DPORT:
			a->dport = number(prog, name, optarg, UINT16_MAX);
			break;
		case OPT_SNAT_PORT:
			a->snat_port = number(prog, name, optarg, UINT16_MAX);
			break;
		case OPT_DNAT_PORT:
			a->dnat_port = number(prog, name, optarg, UINT16_MAX);
			break;
		case OPT_EXP_DPORT:
			a->exp_dport = number(prog, name, optarg, UINT16_MAX);
			break;
		case OPT_MARK:
			slash = strchr(optarg, '/');
			if (slash) {
				*slash = '\0';
				a->mark_mask = number(prog, name, slash + 1,
						      UINT32_MAX);
			}
			a->mark = number(prog, name, optarg, UINT32_MAX);
			break;
		case OPT_ZONE:
			a->zone = number(prog, name, optarg, UINT16_MAX);
			break;
		case OPT_TIMEOUT:
			a->timeout = number(prog, name, optarg, UINT32_MAX);
			break;
		case OPT_LABEL:
			a->label = number(prog, name, optarg, 127);
			break;
		case OPT_STATE: {
			unsigned int i, nstates = sizeof(tcp_states) /
						  sizeof(tcp_states[0]);

			for (i = 0; i < nstates; i++)
				if (strcmp(optarg, tcp_states[i]) == 0)
					break;
			if (i == nstates) {
				fprintf(stderr, "%s: --state: unknown \"%s\"\n",
					prog, optarg);
				exit(2);
			}
			a->state = i;
			break;
		}
		case OPT_HELPER:
			a->helper = optarg;
			break;
		case OPT_EXPFN:
			a->expfn = optarg;
			break;
		case OPT_FAMILY:
			if (strcmp(optarg, "inet") == 0)
				a->dump_family = AF_INET;
			else if (strcmp(optarg, "inet6") == 0)
				a->dump_family = AF_INET6;
			else if (strcmp(optarg, "unspec") == 0)
				a->dump_family = AF_UNSPEC;
			else
				usage(prog, allowed, 2);
			break;
		case OPT_COUNT:
			a->count = number(prog, name, optarg, UINT32_MAX);
			break;
		case OPT_WAIT:
			a->wait = number(prog, name, optarg, 86400);
			break;
		default:
			usage(prog, allowed, 2);
		}
		if (c >= 0 && c < OPT_MAX)
			a->given |= OPTBIT(c);
	}
	if (optind != argc)
		usage(prog, allowed, 2);

	a->family = AF_UNSPEC;
	address(prog, "src", src, &a->src, &a->family);
	address(prog, "dst", dst, &a->dst, &a->family);
	if (snat)
		address(prog, "snat", snat, &a->snat, &a->family);
	if (dnat)
		address(prog, "dnat", dnat, &a->dnat, &a->family);
}

void set_orig_tuple(struct nf_conntrack *ct, const struct args *a)
{
	nfct_set_attr_u8(ct, ATTR_L3PROTO, a->family);
	if (a->family == AF_INET) {
		nfct_set_attr_u32(ct, ATTR_IPV4_SRC, a->src.v4.s_addr);
		nfct_set_attr_u32(ct, ATTR_IPV4_DST, a->dst.v4.s_addr);
	} else {
		nfct_set_attr(ct, ATTR_IPV6_SRC, &a->src.v6);
		nfct_set_attr(ct, ATTR_IPV6_DST, &a->dst.v6);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, a->proto);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(a->sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(a->dport));
}

void print_ct(enum nf_conntrack_msg_type type, const struct nf_conntrack *ct)
{
	char buf[4096];

	if (nfct_snprintf(buf, sizeof(buf), ct, type, NFCT_O_DEFAULT,
			  NFCT_OF_SHOW_LAYER3) < 0)
		snprintf(buf, sizeof(buf), "(nfct_snprintf: %s)",
			 strerror(errno));
	printf("%s\n", buf);
	fflush(stdout);
}

void print_exp(enum nf_conntrack_msg_type type, const struct nf_expect *exp)
{
	char buf[4096];

	if (nfexp_snprintf(buf, sizeof(buf), exp, type, NFCT_O_DEFAULT, 0) < 0)
		snprintf(buf, sizeof(buf), "(nfexp_snprintf: %s)",
			 strerror(errno));
	printf("%s\n", buf);
	fflush(stdout);
}

int report(const char *op, int ret)
{
	int err = errno;

	if (ret == -1) {
		printf("op=%s status=error errno=%d error=%s\n", op, err,
		       strerror(err));
		fflush(stdout);
		return 1;
	}
	printf("op=%s status=ok\n", op);
	fflush(stdout);
	return 0;
}

int report_count(const char *op, int ret, unsigned int count)
{
	if (ret == -1)
		return report(op, ret);
	printf("op=%s status=ok count=%u\n", op, count);
	fflush(stdout);
	return 0;
}

struct nfct_handle *open_handle(uint8_t subsys, unsigned int groups)
{
	struct nfct_handle *h = nfct_open(subsys, groups);

	if (!h) {
		report("open", -1);
		exit(1);
	}
	return h;
}

static const char *deadline_op;
static unsigned int deadline_limit;
static volatile sig_atomic_t event_count;

/* Appends the decimal digits of v to buf at *len (async-signal-safe). */
static void put_uint(char *buf, size_t *len, unsigned long v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		buf[(*len)++] = digits[--n];
}

static void put_str(char *buf, size_t *len, size_t max, const char *s)
{
	while (*s && *len < max)
		buf[(*len)++] = *s++;
}

/*
 * nfct_catch() retries a receive interrupted by a signal, so the deadline
 * cannot just interrupt it: the handler reports and ends the process.
 */
static void on_alarm(int sig)
{
	char buf[128];
	size_t len = 0;
	bool short_of = deadline_limit && (unsigned int)event_count < deadline_limit;

	(void)sig;
	put_str(buf, &len, 64, "op=");
	put_str(buf, &len, 64, deadline_op);
	put_str(buf, &len, 96, short_of ? " status=timeout count="
					: " status=ok count=");
	put_uint(buf, &len, (unsigned long)event_count);
	buf[len++] = '\n';
	if (write(STDOUT_FILENO, buf, len) < 0)
		_exit(3);
	_exit(short_of ? 1 : 0);
}

void start_deadline(const char *op, unsigned int limit, unsigned int secs)
{
	struct sigaction sa;

	deadline_op = op;
	deadline_limit = limit;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) == -1) {
		report("sigaction", -1);
		exit(1);
	}
	alarm(secs);
}

bool event_seen(void)
{
	event_count++;
	return deadline_limit && (unsigned int)event_count >= deadline_limit;
}

unsigned int events_counted(void)
{
	return event_count;
}

struct nf_conntrack *master_tuple(const struct args *a)
{
	struct nf_conntrack *ct = nfct_new();

	if (ct)
		set_orig_tuple(ct, a);
	return ct;
}

struct nf_conntrack *expected_tuple(const struct args *a)
{
	struct nf_conntrack *ct = nfct_new();

	if (!ct)
		return NULL;
	set_orig_tuple(ct, a);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, 0);
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(a->exp_dport));
	return ct;
}

struct nf_conntrack *expected_mask(const struct args *a)
{
	static const struct in6_addr all_ones = {
		.s6_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	struct nf_conntrack *ct = nfct_new();

	if (!ct)
		return NULL;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, a->family);
	if (a->family == AF_INET) {
		nfct_set_attr_u32(ct, ATTR_IPV4_SRC, 0xffffffff);
		nfct_set_attr_u32(ct, ATTR_IPV4_DST, 0xffffffff);
	} else {
		nfct_set_attr(ct, ATTR_IPV6_SRC, &all_ones);
		nfct_set_attr(ct, ATTR_IPV6_DST, &all_ones);
	}
	nfct_set_attr_u8(ct, ATTR_L4PROTO, a->proto);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, 0);
	nfct_set_attr_u16(ct, ATTR_PORT_DST, 0xffff);
	return ct;
}
