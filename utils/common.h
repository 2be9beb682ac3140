/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared helpers of the example programs in utils/: command-line
 * options, building a tuple from them, and the output format.
 *
 * Output format (one line each, stable for scripts):
 *   objects  as nfct_snprintf()/nfexp_snprintf() print them
 *            (NFCT_O_DEFAULT, with the layer 3 name for conntracks);
 *   results  "op=NAME status=ok [key=value ...]", or
 *            "op=NAME status=error errno=N error=STRERROR".
 * The exit status is 0 when every operation succeeded.
 */
#ifndef UTILS_COMMON_H
#define UTILS_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

union addr {
	struct in_addr v4;
	struct in6_addr v6;
};

struct args {
	int family;		/* AF_INET or AF_INET6, from --src/--dst */
	union addr src, dst;
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t sport, dport;	/* host byte order */
	uint32_t mark, mark_mask;
	uint16_t zone;
	uint32_t timeout;
	unsigned int label;
	uint8_t state;		/* TCP conntrack state */
	union addr snat, dnat;
	uint16_t snat_port, dnat_port;	/* host byte order */
	uint16_t exp_dport;	/* expected connection's destination port */
	const char *helper;
	const char *expfn;
	int dump_family;	/* --family: AF_INET, AF_INET6 or AF_UNSPEC */
	unsigned int count;	/* --count: events to wait for, 0 = any */
	unsigned int wait;	/* --wait: seconds before giving up */
	/* which options were given, as a bit per option (OPT_*) */
	uint32_t given;
};

enum opt {
	OPT_SRC, OPT_DST, OPT_PROTO, OPT_SPORT, OPT_DPORT, OPT_MARK,
	OPT_ZONE, OPT_TIMEOUT, OPT_LABEL, OPT_STATE, OPT_SNAT, OPT_DNAT,
	OPT_SNAT_PORT, OPT_DNAT_PORT, OPT_EXP_DPORT, OPT_HELPER, OPT_EXPFN,
	OPT_FAMILY, OPT_COUNT, OPT_WAIT, OPT_MAX
};

#define OPTBIT(o) (1u << (o))
#define HAS(a, o) (((a)->given & OPTBIT(o)) != 0)

/*
 * Parses argv into *a, accepting only the options in the bit set
 * `allowed`; unset options keep the defaults (1.1.1.1:1025 -> 2.2.2.2:21
 * tcp, timeout 600, state ESTABLISHED, expected port 10241, wait 10 s).
 * Prints the usage and exits 2 on a bad or unknown option.
 */
void parse_args(int argc, char **argv, uint32_t allowed, struct args *a);

/* Sets layer 3 and 4 protocols, addresses and ports of the original tuple. */
void set_orig_tuple(struct nf_conntrack *ct, const struct args *a);

/* Prints a conntrack, preceded by the event type if it is not UNKNOWN. */
void print_ct(enum nf_conntrack_msg_type type, const struct nf_conntrack *ct);

/* Prints an expectation, preceded by the event type if it is not UNKNOWN. */
void print_exp(enum nf_conntrack_msg_type type, const struct nf_expect *exp);

/*
 * Prints the result line of operation `op` whose return value was `ret`
 * (-1 with errno on failure). Returns 0 on success, 1 on failure, for
 * use as an exit status.
 */
int report(const char *op, int ret);

/* Like report(), for a success with a count of objects seen. */
int report_count(const char *op, int ret, unsigned int count);

/*
 * Expectations: new conntrack objects holding the master's original
 * tuple (the options' tuple), the expected tuple (--src to --dst, any
 * source port, destination port --exp-dport) and the mask that makes
 * the source port a wildcard. NULL with errno on failure; the caller
 * destroys them.
 */
struct nf_conntrack *master_tuple(const struct args *a);
struct nf_conntrack *expected_tuple(const struct args *a);
struct nf_conntrack *expected_mask(const struct args *a);

/*
 * Event programs: arms a SIGALRM after `secs` seconds whose handler
 * prints "op=OP status=timeout count=N" (or status=ok when `limit` is 0,
 * i.e. no number of events was asked for) and exits, 1 for a timeout.
 * event_seen() counts one event and tells whether `limit` is reached.
 */
void start_deadline(const char *op, unsigned int limit, unsigned int secs);
bool event_seen(void);
unsigned int events_counted(void);

/* nfct_open() that prints the error and exits 1 on failure. */
struct nfct_handle *open_handle(uint8_t subsys, unsigned int groups);

#endif
