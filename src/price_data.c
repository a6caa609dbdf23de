/* price_data.c — the shipped price table: every rate FORMATS.md §7 sources.
 *
 * One line per rate: region, kind, USD per unit, source keys (FORMATS.md
 * §7.1), date. Lambda duration is the first tier; requests are per request;
 * DynamoDB per request unit; API Gateway REST per request, first tier;
 * CloudWatch Logs ingestion per GB (Standard class). A region or kind
 * without a line has no price (NULL cost, a warning, a report note).
 *
 * Lambda: §7.2 gives the rate per region; where a cell is "not found", the
 * rate of [A]'s base (the same in every region but its listed exceptions:
 * af-south-1, ap-east-1, eu-south-1, me-south-1, me-central-1) fills it,
 * and requests are $0.20 per 1M in every §7.2 region without an exception
 * (§7.4, [R] [O] [M]). Exception regions' arm64 requests and me-central-1's
 * requests are not sourced: no line. */
#include "mrb/price_data.h"

#define X86 PRICE_LAMBDA_GBS_X86
#define ARM PRICE_LAMBDA_GBS_ARM
#define RQX PRICE_LAMBDA_REQ_X86
#define RQA PRICE_LAMBDA_REQ_ARM

/* The base rates of [A] and the request rule of §7.4, for the regions
 * whose §7.2 cells name no other source. */
#define A_BASE_X86(r) {r, X86, 0.0000166667, "[A] base rate", "2022-11-10"}
#define A_BASE_ARM(r) {r, ARM, 0.0000133334, "[A] base rate", "2022-11-10"}
#define RULE_RQX(r) {r, RQX, 0.0000002, "§7.4 rule: $0.20 per 1M without an exception [R] [O] [M]", "2026-10-01"}
#define RULE_RQA(r) {r, RQA, 0.0000002, "§7.4 rule: $0.20 per 1M without an exception [R] [O] [M]", "2026-10-01"}
/* A region's Lambda duration rates (x86_64, arm64) and request rates
 * (x86_64, arm64) at the standard prices, under one source and date. */
#define GBS(r, src, date) {r, X86, 0.0000166667, src, date}, {r, ARM, 0.0000133334, src, date}
#define REQ(r, src, date) {r, RQX, 0.0000002, src, date}, {r, RQA, 0.0000002, src, date}
#define LAMBDA(r, src, date) GBS(r, src, date), REQ(r, src, date)
/* A region every Lambda cell of which is [R] (no date stated). */
#define R_ALL(r) LAMBDA(r, "[R]", "n.d.")
/* A region with only x86_64 cells from [R0]; arm64 from [A]'s base. */
#define R0_X86(r)                                                                                \
    {r, X86, 0.0000166667, "[R0]", "n.d."}, A_BASE_ARM(r), {r, RQX, 0.0000002, "[R0]", "n.d."}, \
        RULE_RQA(r)
/* An exception region of [A]: x86_64 duration from [R0] and [A], arm64
 * derived from [A]'s integer (per 1e11 GB-s), x86_64 requests from [R0]. */
#define EXC(r, x86, arm_e11, req)                                                                \
    {r, X86, x86, "[R0] [A]", "2022-11-10"},                                                    \
        {r, ARM, arm_e11 / 1e11, "[A] (derived: " #arm_e11 " / 1e11)", "2022-11-10"},           \
        {r, RQX, req, "[R0]", "n.d."}

/* X-Ray: [X] names one rate and no region (§7.3: "same as us-east-1" in
 * the regions the table lists). */
#define XRAY(r) {r, PRICE_XRAY_TRACE, 0.000005, "[X] $5.00 per 1M recorded (no region named)", "n.d."}

const price_data_rate price_data_rates[] = {
    /* X-Ray */
    XRAY("us-east-1"), XRAY("eu-west-1"), XRAY("eu-central-1"), XRAY("ap-northeast-1"),
    /* every Lambda cell [R] */
    R_ALL("us-east-2"), R_ALL("us-west-2"), R_ALL("eu-west-2"), R_ALL("ap-south-1"),
    R_ALL("ap-southeast-1"), R_ALL("ap-southeast-2"),
    /* x86_64 cells [R0], arm64 [A] base */
    R0_X86("us-west-1"), R0_X86("ca-central-1"), R0_X86("sa-east-1"), R0_X86("eu-west-3"),
    R0_X86("eu-north-1"), R0_X86("ap-northeast-2"),
    /* us-east-1: [R] and [O] (2026-09-06) agree */
    LAMBDA("us-east-1", "[R] [O]", "2026-09-06"),
    {"us-east-1", PRICE_DDB_WRU, 0.000000625, "[O] (after the cut of 2024-11-01)", "2026-09-06"},
    {"us-east-1", PRICE_DDB_RRU, 0.000000125, "[O] (after the cut of 2024-11-01)", "2026-09-06"},
    {"us-east-1", PRICE_DDB_STREAM_READ, 0.0000002,
     "[G] $0.02 per 100,000 (derived; region not named)", "2020-03-11"},
    {"us-east-1", PRICE_APIGW_REST, 0.0000035, "[N] first 333 M (region not named)", "n.d."},
    {"us-east-1", PRICE_LOGS_INGEST, 0.50, "[H]", "n.d."},
    /* eu-west-1: [R] and [M] (AWSLambda offer published 2026-10-01) agree */
    LAMBDA("eu-west-1", "[R] [M]", "2026-10-01"),
    {"eu-west-1", PRICE_APIGW_REST, 0.0000035, "[M] AmazonApiGateway, first 333 M", "2026-09-21"},
    {"eu-west-1", PRICE_LOGS_INGEST, 0.57, "[M] AmazonCloudWatch", "2026-09-22"},
    GBS("eu-central-1", "[R] [J]", "n.d."),
    REQ("eu-central-1", "[R]", "n.d."),
    EXC("eu-south-1", 0.0000195172, 1561380, 0.00000023),
    GBS("ap-northeast-1", "[R]", "n.d."),
    {"ap-northeast-1", RQX, 0.0000002, "[R] [CH]", "2022-12-01"},
    {"ap-northeast-1", RQA, 0.0000002, "[R]", "n.d."},
    {"ap-northeast-1", PRICE_LOGS_INGEST, 0.76, "[AW]", "n.d."},
    {"ap-northeast-3", X86, 0.00002153, "[R0]", "n.d."},
    {"ap-northeast-3", RQX, 0.00000026, "[R0]", "n.d."},
    EXC("ap-east-1", 0.00002292, 1830000, 0.00000028),
    EXC("af-south-1", 0.0000221, 1768000, 0.00000027),
    EXC("me-south-1", 0.0000206667, 1653340, 0.00000025),
    {"me-central-1", X86, 0.0000206667, "[A] (derived: 2066670 / 1e11)", "2022-11-10"},
    {"me-central-1", ARM, 0.0000165334, "[A]", "2022-11-10"},
};

const int price_data_count = (int)(sizeof price_data_rates / sizeof price_data_rates[0]);
