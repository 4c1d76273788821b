#!/usr/bin/env bash
# The main journey through the JSON API with curl, as docs/api.md shows it.
# Needs a running planner with the demo city (`make run`) and jq. Usage:
#   scripts/api_session.sh [BASE_URL]        (default http://127.0.0.1:5000)
set -euo pipefail
BASE="${1:-http://127.0.0.1:5000}/api/v1"
PASSWORD="${DEMO_PASSWORD:-demo}"

show() { printf '\n$ %s\n' "$*"; }

token() {  # token USERNAME → a bearer token for 12 hours
  curl -sf -X POST "$BASE/tokens" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$1\", \"password\": \"$PASSWORD\"}" | jq -r .token
}

etag() {  # etag TOKEN PATH → the current ETag of an object
  curl -sfI "$BASE$2" -H "Authorization: Bearer $1" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}'
}

show "curl -X POST $BASE/tokens -H 'Content-Type: application/json' -d '{\"username\": \"tba\", \"password\": \"…\"}'"
curl -s -X POST "$BASE/tokens" -H 'Content-Type: application/json' \
  -d "{\"username\": \"tba\", \"password\": \"$PASSWORD\"}" | jq '.token = "idt_…"'
TBA=$(token tba); UMW=$(token umw); KOORD=$(token koordination); SWM=$(token swm)

show "curl -X POST $BASE/ideas -H \"Authorization: Bearer \$TBA\" -H 'Idempotency-Key: tba-2026-117' -d '{…}'"
IDEA=$(curl -s -X POST "$BASE/ideas" -H "Authorization: Bearer $TBA" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: tba-2026-117' \
  -d '{"title": "Trinkbrunnen mit Füllstandsmeldung", "summary": "Trinkbrunnen melden Füllstand und Störungen per LoRaWAN.", "themes": ["Klimaanpassung", "Sensorik"], "origin": "Fachverfahren Tiefbau, Vorgang 2026-117"}')
echo "$IDEA" | jq '{id, version, title, stage, origin}'
ID=$(echo "$IDEA" | jq -r .id)

show "curl -X POST $BASE/ideas/\$ID/support -H \"Authorization: Bearer \$UMW\" -H 'If-Match: \"1\"' -d '{\"note\": …}'"
curl -s -X POST "$BASE/ideas/$ID/support" -H "Authorization: Bearer $UMW" \
  -H 'Content-Type: application/json' -H 'If-Match: "1"' \
  -d '{"note": "Wir betreuen die Standorte."}' | jq '{version, supporters}'

show "curl -X POST $BASE/ideas/\$ID/assessment -H 'If-Match: \"1\"' …   # stale: Ulla has changed it"
curl -s -X POST "$BASE/ideas/$ID/assessment" -H "Authorization: Bearer $KOORD" \
  -H 'Content-Type: application/json' -H 'If-Match: "1"' \
  -d '{"impact": 4, "effort": 2, "expected_weeks": 8, "rationale": "Geringer Aufwand."}' |
  jq '.error | {code: .code, message: .message, current_version: .current_version, events: [.events[] | {label: .label, actor: .actor.name}]}'

show "curl -X POST $BASE/ideas/\$ID/assessment -H 'If-Match: \"2\"' -d '{\"impact\": 4, \"effort\": 2, …}'"
curl -s -X POST "$BASE/ideas/$ID/assessment" -H "Authorization: Bearer $KOORD" \
  -H 'Content-Type: application/json' -H "If-Match: $(etag "$KOORD" "/ideas/$ID")" \
  -d '{"impact": 4, "effort": 2, "expected_weeks": 8, "rationale": "Geringer Aufwand, vorhandenes Funknetz."}' |
  jq '{version, quick_win, assessment}'

GROUP=$(curl -s "$BASE/working-groups" -H "Authorization: Bearer $KOORD" |
  jq -r '.items[] | select(.name == "AG Klimaanpassung und Stadtgrün") | .id')
show "curl -X POST $BASE/ideas/\$ID/assignment -d '{\"working_group_id\": \"…\"}'"
curl -s -X POST "$BASE/ideas/$ID/assignment" -H "Authorization: Bearer $KOORD" \
  -H 'Content-Type: application/json' -H "If-Match: $(etag "$KOORD" "/ideas/$ID")" \
  -d "{\"working_group_id\": \"$GROUP\"}" | jq '{version, stage, working_group_id}'

show "curl -X POST $BASE/working-groups/\$GROUP/recommendations -d '{\"idea_id\": …, \"recommendation\": \"accept\", …}'"
curl -s -X POST "$BASE/working-groups/$GROUP/recommendations" -H "Authorization: Bearer $SWM" \
  -H 'Content-Type: application/json' -H "If-Match: $(etag "$SWM" "/ideas/$ID")" \
  -d "{\"idea_id\": \"$ID\", \"recommendation\": \"accept\", \"reasoning\": \"Die Gateways decken alle Standorte ab.\"}" |
  jq '{version, recommendation}'

show "curl -X POST $BASE/ideas/\$ID/decision -d '{\"outcome\": \"accept\", \"reason\": …}'"
ACCEPTED=$(curl -s -X POST "$BASE/ideas/$ID/decision" -H "Authorization: Bearer $KOORD" \
  -H 'Content-Type: application/json' -H "If-Match: $(etag "$KOORD" "/ideas/$ID")" \
  -d '{"outcome": "accept", "reason": "Quick Win mit Mehrwert für Hitzetage."}')
echo "$ACCEPTED" | jq '{version, stage, measure_id}'
MEASURE=$(echo "$ACCEPTED" | jq -r .measure_id)

show "curl -X POST $BASE/measures/\$MEASURE/progress -d '{\"percent\": 80, …}'"
curl -s -X POST "$BASE/measures/$MEASURE/progress" -H "Authorization: Bearer $SWM" \
  -H 'Content-Type: application/json' -H "If-Match: $(etag "$SWM" "/measures/$MEASURE")" \
  -d '{"percent": 80, "note": "Alle Brunnen melden."}' | jq '{version, stage, progress}'

show "curl -X POST $BASE/measures/\$MEASURE/implementation -d '{\"outcome\": …}'"
curl -s -X POST "$BASE/measures/$MEASURE/implementation" -H "Authorization: Bearer $SWM" \
  -H 'Content-Type: application/json' -H "If-Match: $(etag "$SWM" "/measures/$MEASURE")" \
  -d '{"outcome": "Fünf Brunnen melden Füllstand und Störungen in Echtzeit."}' |
  jq '{version, stage, implemented_on}'

show "curl $BASE/ideas/\$ID/history -H \"Authorization: Bearer \$TBA\""
curl -s "$BASE/ideas/$ID/history" -H "Authorization: Bearer $TBA" |
  jq -c '.items[] | {version: .version, label: .label, actor: "\(.actor.name) (\(.actor.role))", reason: .reason}'
