//! Readers for the JSON that Yosys (`stat -json`, `write_json`) and nextpnr (`--report`) write.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::report::{CombinationalLoop, Latch, Utilisation};

/// Attribute that the flow's `scc -set_attr` puts on every cell of a combinational loop.
pub const LOOP_ATTRIBUTE: &str = "sampleprop_loop";

/// Returns the cell counts by type from `stat -json`, for the whole design.
pub fn stat_cells(json: &Value) -> Result<BTreeMap<String, u64>, String> {
    if let Some(design) = json.get("design") {
        return cells_by_type(design);
    }

    // A design with a single module has no "design" entry: sum the modules.
    let modules = json
        .get("modules")
        .and_then(Value::as_object)
        .ok_or("neither \"design\" nor \"modules\" is present")?;
    let mut total = BTreeMap::new();
    for module in modules.values() {
        for (cell_type, count) in cells_by_type(module)? {
            *total.entry(cell_type).or_insert(0) += count;
        }
    }
    Ok(total)
}

fn cells_by_type(entry: &Value) -> Result<BTreeMap<String, u64>, String> {
    let counts = entry
        .get("num_cells_by_type")
        .and_then(Value::as_object)
        .ok_or("\"num_cells_by_type\" is missing")?;
    counts
        .iter()
        .map(|(cell_type, count)| {
            count
                .as_u64()
                .map(|count| (cell_type.clone(), count))
                .ok_or_else(|| format!("count of {cell_type} is not an integer"))
        })
        .collect()
}

/// Timing and utilisation from a nextpnr `--report` file.
#[derive(Debug, Clone, PartialEq)]
pub struct PnrReport {
    /// The lowest achieved frequency over all clock domains, in MHz.
    pub fmax_mhz: Option<f64>,
    pub utilisation: BTreeMap<String, Utilisation>,
}

/// Reads a nextpnr `--report` JSON.
pub fn pnr_report(json: &Value) -> Result<PnrReport, String> {
    let mut fmax_mhz: Option<f64> = None;
    if let Some(clocks) = json.get("fmax").and_then(Value::as_object) {
        for (clock, figures) in clocks {
            let achieved = figures
                .get("achieved")
                .and_then(Value::as_f64)
                .ok_or_else(|| format!("clock {clock} has no \"achieved\" frequency"))?;
            fmax_mhz = Some(fmax_mhz.map_or(achieved, |lowest| lowest.min(achieved)));
        }
    }

    let resources = json
        .get("utilization")
        .and_then(Value::as_object)
        .ok_or("\"utilization\" is missing")?;
    let mut utilisation = BTreeMap::new();
    for (resource, figures) in resources {
        let used = figures.get("used").and_then(Value::as_u64);
        let available = figures.get("available").and_then(Value::as_u64);
        match (used, available) {
            (Some(used), Some(available)) => {
                utilisation.insert(resource.clone(), Utilisation { used, available });
            }
            _ => {
                return Err(format!(
                    "resource {resource} lacks \"used\" or \"available\""
                ))
            }
        }
    }
    Ok(PnrReport {
        fmax_mhz,
        utilisation,
    })
}

/// Reads a Yosys parameter, written either as a JSON number or as a binary string.
pub fn parameter_u64(cell: &Value, name: &str) -> Option<u64> {
    let value = cell.get("parameters")?.get(name)?;
    if let Some(number) = value.as_u64() {
        return Some(number);
    }
    let text = value.as_str()?.trim();
    if text.is_empty() || text.len() > 64 || !text.bytes().all(|b| b == b'0' || b == b'1') {
        return None;
    }
    u64::from_str_radix(text, 2).ok()
}

/// Reads a bit-vector parameter as a string of '0'/'1' (most significant bit first).
fn parameter_bits(cell: &Value, name: &str) -> Option<String> {
    let value = cell.get("parameters")?.get(name)?;
    if let Some(number) = value.as_u64() {
        return Some(format!("{number:b}"));
    }
    value.as_str().map(|text| text.trim().to_string())
}

fn modules(netlist: &Value) -> Result<&serde_json::Map<String, Value>, String> {
    netlist
        .get("modules")
        .and_then(Value::as_object)
        .ok_or_else(|| "\"modules\" is missing".to_string())
}

fn cells(module: &Value) -> impl Iterator<Item = (&String, &Value)> {
    module
        .get("cells")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|cells| cells.iter())
}

/// Maps each net bit of a module to the names of the visible nets that carry it.
fn visible_names(module: &Value) -> HashMap<u64, Vec<String>> {
    let mut names: HashMap<u64, Vec<String>> = HashMap::new();
    let Some(netnames) = module.get("netnames").and_then(Value::as_object) else {
        return names;
    };
    for (name, net) in netnames {
        if net.get("hide_name").and_then(Value::as_u64) == Some(1) {
            continue;
        }
        let bits = net.get("bits").and_then(Value::as_array);
        for (index, bit) in bits.into_iter().flatten().enumerate() {
            if let Some(bit) = bit.as_u64() {
                let width = bits.map_or(1, Vec::len);
                let label = if width == 1 {
                    name.clone()
                } else {
                    format!("{name}[{index}]")
                };
                names.entry(bit).or_default().push(label);
            }
        }
    }
    names
}

/// Returns the names of the visible nets on the given ports of a cell, without bit indices, sorted.
fn port_signals(
    cell: &Value,
    ports: &[&str],
    names: &HashMap<u64, Vec<String>>,
) -> BTreeSet<String> {
    let mut signals = BTreeSet::new();
    let Some(connections) = cell.get("connections").and_then(Value::as_object) else {
        return signals;
    };
    for port in ports {
        for bit in connections
            .get(*port)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(labels) = bit.as_u64().and_then(|bit| names.get(&bit)) {
                for label in labels {
                    let base = label.split('[').next().unwrap_or(label);
                    signals.insert(base.to_string());
                }
            }
        }
    }
    signals
}

/// Drops the module's port names from a set of net names unless nothing else is left.
///
/// A net that drives an output port carries both names, and the internal one
/// is the signal the RTL author wrote the logic for.
fn prefer_internal(module: &Value, signals: BTreeSet<String>) -> BTreeSet<String> {
    let Some(ports) = module.get("ports").and_then(Value::as_object) else {
        return signals;
    };
    let internal: BTreeSet<String> = signals
        .iter()
        .filter(|name| !ports.contains_key(name.as_str()))
        .cloned()
        .collect();
    if internal.is_empty() {
        signals
    } else {
        internal
    }
}

/// Shortens a Yosys module name: `$paramod\sp_ram_1p\Words=8` becomes `sp_ram_1p (Words=8)`.
pub fn module_display_name(name: &str) -> String {
    let name = name.strip_prefix('\\').unwrap_or(name);
    match name.strip_prefix("$paramod") {
        Some(rest) => {
            let mut parts = rest.trim_start_matches('\\').split('\\');
            let base = parts.next().unwrap_or_default();
            let parameters: Vec<&str> = parts.collect();
            if parameters.is_empty() {
                base.to_string()
            } else {
                format!("{base} ({})", parameters.join(", "))
            }
        }
        None => name.to_string(),
    }
}

/// Lists the latches in a netlist written after `proc`, with their module and signal.
pub fn latches(netlist: &Value) -> Result<Vec<Latch>, String> {
    let mut found = Vec::new();
    for (module_name, module) in modules(netlist)? {
        let names = visible_names(module);
        for (cell_name, cell) in cells(module) {
            let cell_type = cell.get("type").and_then(Value::as_str).unwrap_or_default();
            let is_latch = matches!(cell_type, "$dlatch" | "$adlatch" | "$dlatchsr")
                || cell_type.starts_with("$_DLATCH");
            if !is_latch {
                continue;
            }
            let signals = prefer_internal(module, port_signals(cell, &["Q"], &names));
            let signal = if signals.is_empty() {
                cell_name.clone()
            } else {
                signals.into_iter().collect::<Vec<_>>().join(", ")
            };
            found.push(Latch {
                module: module_display_name(module_name),
                signal,
            });
        }
    }
    found.sort_by(|a, b| (&a.module, &a.signal).cmp(&(&b.module, &b.signal)));
    Ok(found)
}

/// Lists the combinational loops that `scc -set_attr` marked in a flattened netlist.
pub fn combinational_loops(netlist: &Value) -> Result<Vec<CombinationalLoop>, String> {
    let mut by_id: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (_, module) in modules(netlist)? {
        let names = visible_names(module);
        for (cell_name, cell) in cells(module) {
            let Some(id) = cell
                .get("attributes")
                .and_then(|attributes| attributes.get(LOOP_ATTRIBUTE))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let outputs: Vec<&str> = cell
                .get("port_directions")
                .and_then(Value::as_object)
                .map(|directions| {
                    directions
                        .iter()
                        .filter(|(_, direction)| direction.as_str() == Some("output"))
                        .map(|(port, _)| port.as_str())
                        .collect()
                })
                .unwrap_or_else(|| vec!["Y"]);
            let mut signals = prefer_internal(module, port_signals(cell, &outputs, &names));
            if signals.is_empty() {
                signals.insert(cell_name.clone());
            }
            let module = instance_path(cell_name);
            by_id
                .entry((id.trim().to_string(), module))
                .or_default()
                .extend(signals);
        }
    }
    Ok(by_id
        .into_iter()
        .map(|((_, module), signals)| CombinationalLoop {
            module,
            signals: signals.into_iter().collect(),
        })
        .collect())
}

/// Returns the instance path of a flattened name: `u_ctrl.u_fsm.$and$x.v:3` gives `u_ctrl.u_fsm`.
fn instance_path(flat_name: &str) -> String {
    let name = flat_name.strip_prefix('\\').unwrap_or(flat_name);
    let local = name.find('$').map_or(name, |dollar| &name[..dollar]);
    match local.rfind('.') {
        Some(dot) => local[..dot].to_string(),
        None => String::new(),
    }
}

/// A memory that Yosys inferred (a `$mem_v2` or `$mem` cell after `memory -nomap`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredMemory {
    pub name: String,
    pub words: u64,
    pub width: u64,
    pub synchronous_read: bool,
}

/// Lists the inferred memories of a netlist written after `memory -nomap`.
pub fn memories(netlist: &Value) -> Result<Vec<InferredMemory>, String> {
    let mut found = Vec::new();
    for (_, module) in modules(netlist)? {
        for (cell_name, cell) in cells(module) {
            let cell_type = cell.get("type").and_then(Value::as_str).unwrap_or_default();
            if cell_type != "$mem_v2" && cell_type != "$mem" {
                continue;
            }
            let name = cell
                .get("parameters")
                .and_then(|parameters| parameters.get("MEMID"))
                .and_then(Value::as_str)
                .unwrap_or(cell_name);
            let words =
                parameter_u64(cell, "SIZE").ok_or_else(|| format!("memory {name} has no SIZE"))?;
            let width = parameter_u64(cell, "WIDTH")
                .ok_or_else(|| format!("memory {name} has no WIDTH"))?;
            let read_clocked = parameter_bits(cell, "RD_CLK_ENABLE").unwrap_or_default();
            found.push(InferredMemory {
                name: name.trim_start_matches('\\').to_string(),
                words,
                width,
                synchronous_read: !read_clocked.is_empty()
                    && read_clocked.bytes().all(|b| b == b'1'),
            });
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// Returns the names of all cells of one type (such as `SB_RAM40_4K`) in a netlist.
pub fn cells_of_type(netlist: &Value, wanted: &str) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    for (_, module) in modules(netlist)? {
        for (cell_name, cell) in cells(module) {
            if cell.get("type").and_then(Value::as_str) == Some(wanted) {
                found.push(cell_name.trim_start_matches('\\').to_string());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Finds the first over-used line of nextpnr's "Device utilisation" table, such as
/// `Info:            ICESTORM_LC:  9000/ 7680   117%`.
pub fn overused_resource(log: &str) -> Option<(String, u64, u64)> {
    for line in log.lines() {
        let body = line.trim_start_matches("Info:").trim();
        let Some((resource, figures)) = body.split_once(':') else {
            continue;
        };
        let Some((used, rest)) = figures.split_once('/') else {
            continue;
        };
        let available = rest.split_whitespace().next();
        let (Ok(used), Some(Ok(available))) =
            (used.trim().parse::<u64>(), available.map(str::parse::<u64>))
        else {
            continue;
        };
        if used > available {
            return Some((resource.trim().to_string(), used, available));
        }
    }
    None
}
