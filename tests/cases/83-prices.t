#!/usr/bin/env bash
# prices: the shipped table outside us-east-1 end to end (report and
# summary.json), importing AWS Price List offer files (bulk, gzip, the
# get-products record of FORMATS.md §10.4), precedence, versions, bad
# files, regions without a rate, and bounded memory on a large offer file.
. "$(dirname "$0")/../lib.sh"
plan 29
P=$ROOT/tests/fixtures/prices

# a function in eu-central-1 (map file), priced by the shipped table
printf '{"timestamp":1795575600100,"message":"REPORT RequestId: m-1\\tDuration: 99.50 ms\\tBilled Duration: 100 ms\\tMemory Size: 512 MB\\tMax Memory Used: 50 MB\\t","logGroupName":"/aws/lambda/go-fra"}\n' >"$T/fra.ndjson"
printf '/aws/lambda/go-fra region=eu-central-1\n' >"$T/fra.map"
"$MRB" --db "$T/db" ingest -q --map "$T/fra.map" "$T/fra.ndjson"
run --db "$T/db" report --out "$T/r" --no-plots
is "$RC" 0 "a report of an eu-central-1 function exits 0"
cost=$(sed -n '/^## Cost/,/^## Provenance/p' "$T/r/report.md")
# 2e-7 + 0.1 s x 0.5 GB x 0.0000166667 = 1.0333335e-6: $1.0333 per 1M
like "$cost" '\| go \| 1 \| 1 \| 1\.0e-06 \| 1\.0333 \|.*\| eu-central-1 \| map file \|.*\| eu-central-1 x86\\_64: shipped 2026-11-27\.3 \|' "eu-central-1 is priced by the shipped table, and the table is named"
like "$cost" 'eu-central-1, x86\\_64: \$0\.0000166667 per GB-s \(shipped 2026-11-27\.3: FORMATS\.md §7 \\\[R\\\] \\\[J\\\], n\.d\.\)' "the rate's source and date are in the report"
j=$T/r/summary.json
is "$(sqlite3 :memory: "select printf('%.10e', json_extract(readfile('$j'), '\$.sections.cost[0].cost_usd')) || ' ' || json_extract(readfile('$j'), '\$.sections.cost[0].prices')")" "1.0000000000e-06 eu-central-1 x86_64: shipped 2026-11-27.3" "summary.json has the cost and the table"
is "$(sqlite3 :memory: "select json_extract(readfile('$j'), '\$.sections.cost_prices[0].gb_second_usd') || ' ' || json_array_length(readfile('$j'), '\$.sections.cost_unpriced')")" "1.66667e-05 0" "and the rate, with no region unpriced"
is "$(grep -c warning "$T/err")" 0 "no warning when every region is priced"

# importing: the get-products record of FORMATS.md §10.4, verbatim
run --db "$T/db" prices import "$P/get-products-APN1-Request.json"
is "$RC" 0 "prices import of a get-products record exits 0"
like "$OUT" 'AWSLambda 20221214183021 \(published 2022-12-14T18:30:21Z\): 1 rates, 1 tiers imported' "and says what it imported"
is "$(q "$T/db" "select rate, region, begin_range, quote(end_range), usd_text, unit, sku, rate_code, effective_date from prices")" \
    "lambda_request_x86_64|ap-northeast-1|0.0|NULL|0.0000002000|Request|3BE8DYKG4FYSZGDW|3BE8DYKG4FYSZGDW.JRTCKXETXF.6YS6EN2CT7|2022-12-01T00:00:00Z" \
    "the record's price, unit, sku, rate code and effective date are stored"
# bulk files, one of them gzip: every tier kept, other usage types skipped
gzip -c "$P/AWSLambda-eu-central-1.json" >"$T/lambda.json.gz"
run --db "$T/db" prices import "$T/lambda.json.gz" "$P/AmazonDynamoDB-eu-central-1.json"
is "$RC" 0 "bulk offer files import (gzip too)"
is "$(q "$T/db" "select count(*), count(DISTINCT rate) from prices where region = 'eu-central-1'")" "12|7" "12 tiers of 7 rates: provisioned, free-tier and Standard-IA usage types are not ours"
is "$(q "$T/db" "select group_concat(begin_range || '-' || coalesce(end_range, 'Inf') || '@' || usd_text, ' ') from (select * from prices where rate = 'lambda_gb_second_x86_64' order by begin_range)")" \
    "0.0-6000000000.0@0.0000166667 6000000000.0-15000000000.0@0.0000150000 15000000000.0-Inf@0.0000133334" "the three duration tiers, keyed by beginRange"
run --db "$T/db" prices list --region eu-central-1 --csv
like "$OUT" 'eu-central-1,ddb_streams_read_request_unit,2\.28e-07,imported AmazonDynamoDB 20261002010203,.*EUC1-Streams-Requests, from 2500000",2024-11-01' "the streams rate in force is the first paid tier (the free tier is skipped)"
like "$OUT" 'eu-central-1,lambda_gb_second_x86_64,1\.66667e-05,imported AWSLambda 20261001184746,' "imported rates take precedence over the shipped ones"
# the report now names the imported table, and prices the region's DynamoDB rates
run --db "$T/db" report --out "$T/r2" --no-plots
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/r2/report.md")" '\| 1\.0333 \|.*\| eu-central-1 x86\\_64: imported AWSLambda 20261001184746 \|' "the report names the imported offer and version"
run --db "$T/db" sql --csv "select ddb_cost_usd(1e6, 'eu-central-1'), price_usd('ddb_read_request_unit', 'eu-central-1'), ddb_cost_usd(1, 'eu-central-2')"
is "$(printf '%s\n' "$OUT" | tail -n 1 | tr -d '\r')" "0.7625,1.525e-07," "an imported DynamoDB rate prices a region the shipped table lacks; others stay NULL"
run --db "$T/db" sql --csv --pricing /dev/null "select 1"
is "$RC" 4 "--pricing is still read (and a bad one refused)"
# an older version does not replace a newer one; the same version again adds nothing
sed 's/"version": "20261001184746"/"version": "20250101000000"/; s/0.0000166667/0.0000999999/' "$P/AWSLambda-eu-central-1.json" >"$T/old.json"
run --db "$T/db" prices import "$T/old.json"
like "$OUT" '0 rates, 0 tiers imported; 4 kept \(a newer version is imported\)' "an older offer version keeps the newer rates"
run --db "$T/db" prices import "$P/AWSLambda-eu-central-1.json"
is "$(q "$T/db" "select count(*) from prices")" 13 "importing the same file again adds nothing"

# bad files: named with their position, nothing stored
printf '{"offerCode": "AWSLambda", "version": "20261001184746", "products": {"X": {"sku": ' >"$T/cut.json"
run --db "$T/db" prices import "$T/cut.json"
is "$RC" 1 "a cut offer file is rejected (exit 1)"
like "$ERR" "^mrb-analyze: error: $T/cut.json(:1)?: .*" "the error names the file"
run --db "$T/db" prices import "$T/no-such.json"
is "$RC" 4 "a missing file exits 4"
printf '{"events": []}' >"$T/not.json"
run --db "$T/db" prices import "$T/not.json"
like "$RC $ERR" '^1 .*not an offer file' "a JSON file that is not an offer file is refused"
is "$(q "$T/db" "select count(*) from prices")" 13 "and nothing was stored"

# a region without a rate: NULL cost, a warning and a note naming it
printf '/aws/lambda/go-fra region=ap-southeast-4\n' >"$T/mel.map"
"$MRB" --db "$T/m.db" ingest -q --map "$T/mel.map" "$T/fra.ndjson"
run --db "$T/m.db" report --out "$T/m" --no-plots
like "$ERR" 'warning: no Lambda price for region ap-southeast-4 \(x86_64\): 1 invocations not priced' "a warning names the region without a rate"
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/m/report.md" | tr '\n' ' ')" '\| go \| 1 \| 0 \| .*\*\*No Lambda price\*\* for ap-southeast-4, x86\\_64' "the cost section notes it; the cost is empty"
is "$(sqlite3 :memory: "select json_extract(readfile('$T/m/summary.json'), '\$.sections.cost[0].cost_usd') is null, json_extract(readfile('$T/m/summary.json'), '\$.sections.cost_unpriced[0].region')")" "1|ap-southeast-4" "summary.json: cost null, the region listed"

# a large whole-service offer file is streamed: memory stays bounded
awk 'BEGIN {
    n = 150000
    printf "{\"formatVersion\":\"v1.0\",\"offerCode\":\"AWSLambda\",\"version\":\"20261001184746\",\"publicationDate\":\"2026-10-01T18:47:46Z\",\"products\":{"
    for (i = 0; i < n; i++)
        printf "%s\"SKU%08d\":{\"sku\":\"SKU%08d\",\"productFamily\":\"Serverless\",\"attributes\":{\"regionCode\":\"eu-north-1\",\"servicecode\":\"AWSLambda\",\"usagetype\":\"%s\",\"location\":\"EU (Stockholm)\",\"locationType\":\"AWS Region\",\"group\":\"AWS-Lambda-Edge-Duration\"}}", i ? "," : "", i, i, i == n - 1 ? "EUN1-Request" : "EUN1-Lambda-Edge-GB-Second"
    printf "},\"terms\":{\"OnDemand\":{"
    for (i = 0; i < n; i++)
        printf "%s\"SKU%08d\":{\"SKU%08d.JRTCKXETXF\":{\"offerTermCode\":\"JRTCKXETXF\",\"sku\":\"SKU%08d\",\"effectiveDate\":\"2026-10-01T00:00:00Z\",\"priceDimensions\":{\"SKU%08d.JRTCKXETXF.6YS6EN2CT7\":{\"rateCode\":\"SKU%08d.JRTCKXETXF.6YS6EN2CT7\",\"description\":\"a generated price dimension of a large offer file\",\"beginRange\":\"0\",\"endRange\":\"Inf\",\"unit\":\"Requests\",\"pricePerUnit\":{\"USD\":\"0.0000002000\"},\"appliesTo\":[]}},\"termAttributes\":{}}}", i ? "," : "", i, i, i, i, i
    printf "}}}\n"
}' >"$T/big.json"
/usr/bin/time -f '%M' -o "$T/rss" "$MRB" --db "$T/big.db" prices import "$T/big.json" >"$T/out" 2>"$T/err"
like "$(cat "$T/out") $(($(wc -c <"$T/big.json") / 1048576)) MB" ': 1 rates, 1 tiers imported [0-9]{2,} MB$' "a large offer file (tens of MB) imports its one wanted product"
if [ "$SANITIZED" = 1 ]; then ok 0 "memory not checked under sanitizers"; else
    rss=$(tail -n 1 "$T/rss"); ok "$([ "$rss" -lt 40000 ]; echo $?)" "and its peak RSS stays bounded (${rss} KB)"; fi
exit $((_failed > 0))
