//! The stand-in keeps the hosted API's contract (`hosted-api.md`) on the wire: usage headers
//! of paid answers, a batch charged one unit per IBAN all-or-nothing, the 402 causes with the
//! numbers a smaller request needs, per-key counts, the marker, and the padded fault. Spoken
//! to with raw HTTP/1.1 over loopback, so nothing of ibanforge-mcp is involved.

use ibanforge_stand_in::{Fault, KeyKind, KeyStats, StandIn};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
    raw_len: usize,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

async fn request(
    api: &StandIn,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let addr = api.base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = key
        .map(|k| format!("Authorization: Bearer {k}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
        raw_len: body.len(),
    }
}

#[tokio::test]
async fn quota_key_at_85_percent_gets_usage_headers_and_no_notice() {
    let api = StandIn::start().await;
    api.add_key("k85", KeyKind::quota_at_percent(85, 200));
    let r = request(
        &api,
        "POST",
        "/v1/iban/validate",
        Some("k85"),
        Some(json!({"iban": "CH1000230000000012345"})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-quota-used"), Some("171"));
    assert_eq!(r.header("x-quota-limit"), Some("200"));
    assert_eq!(r.header("x-quota-remaining"), Some("29"));
    assert_eq!(r.header("x-quota-month"), Some("2026-11"));
    assert_eq!(r.header("x-charged-from"), Some("quota"));
    assert_eq!(
        r.header("x-quota-notice"),
        None,
        "no notice unless configured"
    );
    assert_eq!(r.body["served_by"], "stand-in");
    assert_eq!(r.body["valid"], true);
    assert_eq!(r.body["issuer"]["name"], "UBS Switzerland AG");

    api.set_quota_notice(true);
    let r = request(&api, "GET", "/v1/bic/UBSWCHZH80A", Some("k85"), None).await;
    assert_eq!(r.header("x-quota-notice"), Some("threshold-crossed"));
    assert_eq!(r.header("x-quota-used"), Some("172"));
    assert_eq!(
        api.stats("k85"),
        KeyStats {
            requests: 2,
            answered: 2,
            refused: 0,
            units_debited: 2,
            batch_rows_sent: 0
        }
    );
}

#[tokio::test]
async fn a_batch_costs_one_unit_per_iban_all_or_nothing() {
    let api = StandIn::start().await;
    api.add_key(
        "q3",
        KeyKind::Quota {
            used: 197,
            limit: 200,
        },
    );
    let four = json!({"ibans": ["CH1000230000000012345", "DE89370400440532013000", "AO06004400006729503010102", "CH9400762011623852957"]});
    let r = request(
        &api,
        "POST",
        "/v1/iban/batch",
        Some("q3"),
        Some(four.clone()),
    )
    .await;
    assert_eq!(r.status, 402);
    assert_eq!(r.body["cause"]["reason"], "monthly_quota_insufficient");
    let q = &r.body["cause"]["quota"];
    assert_eq!(
        (
            q["used"].clone(),
            q["limit"].clone(),
            q["remaining"].clone(),
            q["required"].clone(),
            q["month"].clone()
        ),
        (json!(197), json!(200), json!(3), json!(4), json!("2026-11"))
    );
    assert_eq!(r.header("x-quota-remaining"), Some("3"));
    assert_eq!(
        api.key("q3"),
        Some(KeyKind::Quota {
            used: 197,
            limit: 200
        }),
        "nothing debited"
    );

    let three = json!({"ibans": ["CH1000230000000012345", "AO06004400006729503010102", "CH9400762011623852957"]});
    let r = request(&api, "POST", "/v1/iban/batch", Some("q3"), Some(three)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["count"], 3);
    assert_eq!(r.body["valid_count"], 2);
    let rows = r.body["results"].as_array().unwrap();
    assert!(
        rows.iter().all(|row| row["served_by"] == "stand-in"),
        "every row is marked"
    );
    assert_eq!(
        rows[1]["valid"], true,
        "Angola is an (aspirational) IBAN country to the API"
    );
    assert_eq!(rows[2]["error"], "checksum_failed");
    assert_eq!(r.header("x-quota-remaining"), Some("0"));
    assert_eq!(
        api.key("q3"),
        Some(KeyKind::Quota {
            used: 200,
            limit: 200
        })
    );

    api.add_key(
        "c2",
        KeyKind::Credits {
            remaining: 2,
            total: 1000,
        },
    );
    let r = request(&api, "POST", "/v1/iban/batch", Some("c2"), Some(four)).await;
    assert_eq!(r.status, 402);
    assert_eq!(r.body["cause"]["reason"], "credits_insufficient");
    let c = &r.body["cause"]["credits"];
    assert_eq!(
        (
            c["required"].clone(),
            c["remaining"].clone(),
            c["total"].clone()
        ),
        (json!(4), json!(2), json!(1000))
    );
    assert!(c["topup"].is_string());
    assert_eq!(r.header("x-credits-required"), Some("4"));
    let r = request(
        &api,
        "POST",
        "/v1/iban/compliance",
        Some("c2"),
        Some(json!({"iban": "DE89370400440532013000"})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-credits-remaining"), Some("1"));
    assert_eq!(r.header("x-credits-total"), Some("1000"));
    assert_eq!(r.header("x-credits-charged"), Some("1"));
    assert_eq!(r.header("x-charged-from"), Some("credits"));
    assert_eq!(r.body["compliance"]["sanctions"]["bank_screened"], true);
    assert_eq!(r.body["meta"]["scope"], "bank_bic_only");
    assert_eq!(
        api.stats("c2"),
        KeyStats {
            requests: 2,
            answered: 1,
            refused: 1,
            units_debited: 1,
            batch_rows_sent: 4
        }
    );
    assert_eq!(api.paid_requests("q3"), 2);
    assert_eq!(api.units_debited("q3"), 3);
}

#[tokio::test]
async fn malformed_requests_are_400_before_payment_and_cost_nothing() {
    let api = StandIn::start().await;
    api.add_key("k", KeyKind::Quota { used: 0, limit: 10 });
    let too_many: Vec<&str> = vec!["CH1000230000000012345"; 101];
    for (method, path, body, error) in [
        (
            "POST",
            "/v1/iban/batch",
            Some(json!({"ibans": too_many})),
            "batch_too_large",
        ),
        (
            "POST",
            "/v1/iban/validate",
            Some(json!({"nope": 1})),
            "invalid_request",
        ),
        ("GET", "/v1/bic/UBS-CHZH", None, "invalid_bic_format"),
        ("GET", "/v1/ch/clearing/123456", None, "invalid_iid_format"),
    ] {
        let r = request(&api, method, path, Some("k"), body).await;
        assert_eq!(
            (r.status, r.body["error"].as_str()),
            (400, Some(error)),
            "{path}"
        );
    }
    assert_eq!(api.units_debited("k"), 0);
    let r = request(&api, "GET", "/v1/ch/clearing/30005", Some("k"), None).await;
    assert_eq!(r.body["iid"], "00230");
    assert_eq!(r.body["redirected_from"], "30005");
    let r = request(&api, "GET", "/v1/ch/clearing/99999", Some("k"), None).await;
    assert_eq!(
        (r.body["found"].clone(), r.body["error"].clone()),
        (json!(false), json!("clearing_not_found"))
    );
    let r = request(
        &api,
        "GET",
        "/v1/iban/format?iban=AO06004400006729503010102",
        None,
        None,
    )
    .await;
    assert_eq!(r.body["valid"], true);
    assert!(
        r.body.get("served_by").is_none(),
        "the free endpoint's answer is not a full one"
    );
}

#[tokio::test]
async fn the_padded_fault_is_a_well_formed_answer_past_the_cap() {
    let api = StandIn::start().await;
    api.add_key("k", KeyKind::Quota { used: 0, limit: 10 });
    api.set_fault(Fault::Huge);
    let r = request(
        &api,
        "POST",
        "/v1/iban/validate",
        Some("k"),
        Some(json!({"iban": "CH1000230000000012345"})),
    )
    .await;
    assert_eq!(r.status, 200);
    assert!(r.raw_len > 2 * 1024 * 1024 + 512 * 1024, "{}", r.raw_len);
    assert_eq!(
        r.header("content-length")
            .map(|v| v.parse::<usize>().unwrap()),
        Some(r.raw_len)
    );
    assert_eq!(r.body["served_by"], "stand-in", "well-formed and marked");
    assert_eq!(r.body["valid"], true);
    api.set_fault(Fault::PaddedTo(1024 * 1024));
    let r = request(&api, "GET", "/v1/bic/UBSWCHZH80A", Some("k"), None).await;
    assert!(
        (1024 * 1024 - 4096..=1024 * 1024 + 4096).contains(&r.raw_len),
        "{}",
        r.raw_len
    );
    assert_eq!(r.body["found"], true);
    assert_eq!(api.units_debited("k"), 0, "a fault charges nothing");
}
