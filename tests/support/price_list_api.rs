//! A local endpoint on 127.0.0.1 that speaks the AWS Price List Query API's wire protocol
//! (AWS JSON 1.1: `POST /`, `X-Amz-Target: AWSPriceListService.<Operation>`, JSON bodies,
//! errors as `{"__type": …, "message": …}` with status 400), so that the real SDK, its
//! paginator and retries, and the snapshot writer run end to end without leaving the machine.
//!
//! It serves the records of `pricing-cache/` as the real API does, each `PriceList` item a JSON
//! document inside a string, filtered by `TERM_MATCH` on attributes and `productFamily`, in
//! pages of `page_size` with a `NextToken`. Faults can be switched on: throttling, access
//! denied, a malformed record, a missing usage type, a renamed attribute, a connection dropped
//! on a given page.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use serde_json::{Value, json};

/// Faults to inject; the default serves everything correctly.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Answer this many GetProducts calls with ThrottlingException before serving.
    pub throttle_first: usize,
    /// Answer every call with AccessDeniedException.
    pub access_denied: bool,
    /// Replace the first record of this service with text that is not JSON.
    pub malformed_service: Option<String>,
    /// Leave out every record with this usage type.
    pub drop_usage_type: Option<String>,
    /// Leave this attribute out of DescribeServices for every service.
    pub hide_attribute: Option<String>,
    /// Close the connection without answering whenever this page (1-based) of GetProducts
    /// is asked for.
    pub drop_on_page: Option<usize>,
    /// Change a price: `(usage type, old USD string, new USD string)`.
    pub reprice: Option<(String, String, String)>,
}

/// One request as received: the operation and its JSON body.
#[derive(Clone, Debug)]
pub struct Received {
    pub operation: String,
    pub body: Value,
}

pub struct PriceListApi {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

struct State {
    records: BTreeMap<String, Vec<Value>>,
    faults: Faults,
    page_size: usize,
    throttled: AtomicUsize,
    received: Arc<Mutex<Vec<Received>>>,
}

impl PriceListApi {
    /// Starts the endpoint on a free port of 127.0.0.1.
    pub fn start(faults: Faults, page_size: usize) -> PriceListApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let state = Arc::new(State {
            records: load_records(&faults),
            faults,
            page_size,
            throttled: AtomicUsize::new(0),
            received: received.clone(),
        });
        let stop_flag = stop.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = state.clone();
                thread::spawn(move || serve(stream, &state));
            }
        });
        PriceListApi {
            port,
            received,
            stop,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for PriceListApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// The shipped snapshot's records, by service code, as parsed JSON.
fn load_records(faults: &Faults) -> BTreeMap<String, Vec<Value>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/pricing-cache");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap())
            .unwrap();
    let mut out = BTreeMap::new();
    for service in manifest["services"].as_array().unwrap() {
        let code = service["service_code"].as_str().unwrap().to_string();
        let file = service["file"].as_str().unwrap();
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap())
                .unwrap();
        let mut items: Vec<Value> = doc["PriceList"].as_array().unwrap().clone();
        if let Some(drop) = &faults.drop_usage_type {
            items.retain(|i| i["product"]["attributes"]["usagetype"] != *drop);
        }
        if let Some((usage, old, new)) = &faults.reprice {
            for item in items.iter_mut() {
                if item["product"]["attributes"]["usagetype"] == *usage {
                    let text = item.to_string().replace(old.as_str(), new);
                    *item = serde_json::from_str(&text).unwrap();
                }
            }
        }
        out.insert(code, items);
    }
    out
}

fn serve(stream: TcpStream, state: &State) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    // Keep-alive: one connection may carry several requests.
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = BTreeMap::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let length: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let operation = headers
            .get("x-amz-target")
            .and_then(|t| t.strip_prefix("AWSPriceListService."))
            .unwrap_or("")
            .to_string();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        state.received.lock().unwrap().push(Received {
            operation: operation.clone(),
            body: body.clone(),
        });
        match respond(state, &operation, &body) {
            Some((status, reply)) => {
                let text = reply.to_string();
                let error_type = if status == 200 {
                    String::new()
                } else {
                    format!(
                        "x-amzn-errortype: {}\r\n",
                        reply["__type"].as_str().unwrap_or("")
                    )
                };
                let head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-type: application/x-amz-json-1.1\r\n{error_type}content-length: {}\r\nx-amzn-requestid: test\r\n\r\n",
                    if status == 200 { "OK" } else { "Bad Request" },
                    text.len()
                );
                if writer.write_all(head.as_bytes()).is_err()
                    || writer.write_all(text.as_bytes()).is_err()
                {
                    return;
                }
            }
            None => {
                // A dropped connection: close without a word.
                let _ = writer.shutdown(std::net::Shutdown::Both);
                return;
            }
        }
    }
}

fn error(kind: &str, message: &str) -> Option<(u16, Value)> {
    Some((400, json!({"__type": kind, "message": message})))
}

fn respond(state: &State, operation: &str, body: &Value) -> Option<(u16, Value)> {
    let f = &state.faults;
    if f.access_denied {
        return error(
            "AccessDeniedException",
            "User is not authorized to perform: pricing:GetProducts",
        );
    }
    let code = body["ServiceCode"].as_str().unwrap_or("");
    let records = state.records.get(code);
    match operation {
        "DescribeServices" => {
            let Some(records) = records else {
                return Some((200, json!({"Services": [], "FormatVersion": "aws_v1"})));
            };
            let mut names: Vec<String> = records
                .iter()
                .flat_map(|r| {
                    r["product"]["attributes"]
                        .as_object()
                        .map(|o| o.keys().cloned().collect::<Vec<_>>())
                        .unwrap_or_default()
                })
                .chain(["productFamily".to_string()])
                .filter(|n| Some(n) != f.hide_attribute.as_ref())
                .collect();
            names.sort();
            names.dedup();
            Some((
                200,
                json!({"Services": [{"ServiceCode": code, "AttributeNames": names}], "FormatVersion": "aws_v1"}),
            ))
        }
        "GetAttributeValues" => {
            let name = body["AttributeName"].as_str().unwrap_or("");
            let mut values: Vec<String> = records
                .into_iter()
                .flatten()
                .filter_map(|r| {
                    r["product"]["attributes"][name]
                        .as_str()
                        .map(str::to_string)
                })
                .collect();
            values.sort();
            values.dedup();
            let values: Vec<Value> = values.into_iter().map(|v| json!({"Value": v})).collect();
            Some((200, json!({"AttributeValues": values})))
        }
        "GetProducts" => {
            if state.throttled.fetch_add(1, Ordering::SeqCst) < f.throttle_first {
                return error("ThrottlingException", "Rate exceeded");
            }
            let Some(records) = records else {
                return error("NotFoundException", "unknown service code");
            };
            let matching: Vec<&Value> = records
                .iter()
                .filter(|r| {
                    body["Filters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .all(|filter| {
                            let field = filter["Field"].as_str().unwrap_or("");
                            let value = &filter["Value"];
                            if field == "ServiceCode" {
                                return true;
                            }
                            if field == "productFamily" {
                                return r["product"]["productFamily"] == *value;
                            }
                            r["product"]["attributes"][field] == *value
                        })
                })
                .collect();
            let start: usize = body["NextToken"]
                .as_str()
                .and_then(|t| t.strip_prefix("offset-"))
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let size = body["MaxResults"]
                .as_u64()
                .map_or(state.page_size, |m| (m as usize).min(state.page_size))
                .max(1);
            let page = start / size + 1;
            if f.drop_on_page == Some(page) {
                return None;
            }
            let end = (start + size).min(matching.len());
            let mut items: Vec<Value> = matching[start.min(end)..end]
                .iter()
                .map(|r| Value::String(r.to_string()))
                .collect();
            if f.malformed_service.as_deref() == Some(code) && start == 0 && !items.is_empty() {
                items[0] = Value::String("{\"product\": {\"sku\": \"BROKEN\"".into());
            }
            let mut reply = json!({"FormatVersion": "aws_v1", "PriceList": items});
            if end < matching.len() {
                reply["NextToken"] = Value::String(format!("offset-{end}"));
            }
            Some((200, reply))
        }
        _ => error("UnknownOperationException", "unknown operation"),
    }
}
