/* framing explore: the page's script. Vanilla JavaScript, no library, no network.
 * Every text from the data reaches the page through textContent or an SVG attribute, never as markup. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("explore-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var G = D.groups;
  var TERMS = D.terms.term;
  var NT = TERMS.length;
  var COUNTS = D.terms.count;

  // ------------------------------------------------------------------ helpers

  function $(id) { return document.getElementById(id); }

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }

  function fmt(n) {
    if (n === null || n === undefined) { return "\u2013"; }
    return Number(n).toLocaleString("en-US");
  }

  function num(v) {
    if (v === null || v === undefined || !isFinite(v)) { return "\u2013"; }
    var a = Math.abs(v);
    if (a !== 0 && (a < 0.001 || a >= 1e6)) { return v.toExponential(2); }
    if (Number.isInteger(v)) { return fmt(v); }
    return String(Number(v.toPrecision(3)));
  }

  function squash(t) { return t.replace(/\s+/g, " "); }

  function option(select, value, label) {
    var o = h("option", null, label);
    o.value = String(value);
    select.appendChild(o);
    return o;
  }

  function segText(seg, a, b) { return D.segments[seg][2].slice(a, b); }
  function segStart(seg) { return D.segments[seg][1]; }
  function docOf(seg) { return D.docs[D.segments[seg][0]]; }

  // ------------------------------------------------------------------ header and tabs

  var meta = D.meta;
  document.title = meta.title + " \u2013 framing explore";
  $("title").textContent = meta.title;
  $("meta").textContent = [
    meta.corpus, fmt(meta.documents) + " documents", fmt(meta.paragraphs) + " paragraphs",
    fmt(meta.tokens) + " tokens", "groups by " + meta.by + ": " + G.map(function (g, i) {
      return g + " (" + fmt(D.group_docs[i]) + " doc" + (D.group_docs[i] === 1 ? "" : "s") + ")";
    }).join(", "),
    "preprocessing " + meta.preprocessor, "corpus " + meta.corpus_hash.slice(0, 12), "framing " + meta.framing
  ].join(" \u00b7 ");

  var tabs = Array.prototype.slice.call(document.querySelectorAll("#tabs button"));
  function showTab(name) {
    tabs.forEach(function (b) {
      var on = b.getAttribute("data-tab") === name;
      b.setAttribute("aria-selected", on ? "true" : "false");
      $("panel-" + b.getAttribute("data-tab")).hidden = !on;
    });
  }
  tabs.forEach(function (b) {
    b.addEventListener("click", function () { showTab(b.getAttribute("data-tab")); });
  });

  // ------------------------------------------------------------------ terms: comparison state

  var MEASURE_LABEL = { log_ratio: "log ratio (Hardie 2014)", g2: "G\u00b2, signed (Dunning 1993)",
    logodds_z: "log-odds z (Monroe et al. 2008)" };
  var state = { cmp: 0, measure: D.measures[0], scale: "rank", selected: -1, matches: [] };
  var sidesCache = {};

  function sides(c) {
    if (sidesCache[c]) { return sidesCache[c]; }
    var cmp = D.comparisons[c];
    var t = cmp.target;
    var refs = cmp.reference < 0 ? G.map(function (_, i) { return i; }).filter(function (i) { return i !== t; })
      : [cmp.reference];
    var x = new Array(NT).fill(0);
    var sizeR = 0;
    refs.forEach(function (g) {
      for (var i = 0; i < NT; i++) { x[i] += COUNTS[g][i]; }
      sizeR += D.group_tokens[g];
    });
    var out = { t: t, refs: refs, x: x, y: COUNTS[t], sizeT: D.group_tokens[t], sizeR: sizeR,
      tLabel: G[t], rLabel: cmp.reference < 0 ? "rest (" + refs.map(function (g) { return G[g]; }).join(", ") + ")"
        : G[cmp.reference], rShort: cmp.reference < 0 ? "the rest" : G[cmp.reference] };
    sidesCache[c] = out;
    return out;
  }

  var cmpSelect = $("comparison");
  D.comparisons.forEach(function (cmp, c) {
    option(cmpSelect, c, G[cmp.target] + " vs " + (cmp.reference < 0 ? "the rest" : G[cmp.reference]));
  });
  cmpSelect.disabled = D.comparisons.length < 2;
  var measureSelect = $("measure");
  D.measures.forEach(function (m) { option(measureSelect, m, MEASURE_LABEL[m] || m); });

  // ------------------------------------------------------------------ terms: the scatter

  var SW = 640, SH = 600, ML = 58, MR = 14, MT = 14, MB = 50;
  var scatter = $("scatter");
  var gridLayer = sv("g"), pointLayer = sv("g"), labelLayer = sv("g");
  scatter.appendChild(gridLayer);
  scatter.appendChild(pointLayer);
  scatter.appendChild(labelLayer);
  var points = [];
  for (var i = 0; i < NT; i++) {
    var p = sv("circle", { "class": "pt", r: 3.2, cx: 0, cy: 0, "data-i": i, "data-term": TERMS[i] });
    p.appendChild(sv("title"));
    points.push(p);
    pointLayer.appendChild(p);
  }

  function ranks(values) {
    var uniq = Array.from(new Set(values)).sort(function (a, b) { return a - b; });
    var pos = new Map();
    uniq.forEach(function (v, k) { pos.set(v, uniq.length > 1 ? k / (uniq.length - 1) : 0.5); });
    return values.map(function (v) { return pos.get(v); });
  }

  function positions(sd) {
    if (state.scale === "rank") { return { u: ranks(sd.x), v: ranks(sd.y), ticks: null }; }
    var fx = sd.x.map(function (n) { return n / sd.sizeR * 1e4; });
    var fy = sd.y.map(function (n) { return n / sd.sizeT * 1e4; });
    var pos = fx.concat(fy).filter(function (f) { return f > 0; });
    var lo = Math.min.apply(null, pos) / 2, hi = Math.max.apply(null, pos);
    var l0 = Math.log10(lo), l1 = Math.log10(hi);
    var span = l1 - l0 || 1;
    function f(v) { return (Math.log10(Math.max(v, lo)) - l0) / span; }
    var ticks = [[0, "0"]];
    for (var e = Math.ceil(l0 + 0.15 * span); e <= Math.floor(l1); e++) { ticks.push([(e - l0) / span, Math.pow(10, e)]); }
    return { u: fx.map(f), v: fy.map(f), ticks: ticks, zero: lo };
  }

  function px(u) { return ML + u * (SW - ML - MR); }
  function py(v) { return SH - MB - v * (SH - MT - MB); }

  var STOPS = [[-1, [33, 102, 172]], [-0.5, [103, 169, 207]], [0, [214, 214, 214]], [0.5, [239, 138, 98]],
    [1, [178, 24, 43]]];
  function colour(t) {
    if (t === null) { return "rgb(240,240,240)"; }
    t = Math.max(-1, Math.min(1, t));
    for (var k = 1; k < STOPS.length; k++) {
      if (t <= STOPS[k][0]) {
        var a = STOPS[k - 1], b = STOPS[k], w = (t - a[0]) / (b[0] - a[0]);
        return "rgb(" + [0, 1, 2].map(function (j) { return Math.round(a[1][j] + w * (b[1][j] - a[1][j])); }).join(",") + ")";
      }
    }
    return "rgb(178,24,43)";
  }

  function scaleMax(values) {
    var abs = values.filter(function (v) { return v !== null && isFinite(v); }).map(Math.abs)
      .sort(function (a, b) { return a - b; });
    if (!abs.length) { return 1; }
    return abs[Math.min(abs.length - 1, Math.floor(0.95 * abs.length))] || abs[abs.length - 1] || 1;
  }

  function drawAxes(sd, pos) {
    clear(gridLayer);
    var x0 = px(0), x1 = px(1), y0 = py(0), y1 = py(1);
    var ticks = pos.ticks || [[0, "0%"], [0.25, "25%"], [0.5, "50%"], [0.75, "75%"], [1, "100%"]];
    ticks.forEach(function (tk) {
      var label = typeof tk[1] === "number" ? num(tk[1]) : tk[1];
      gridLayer.appendChild(sv("line", { "class": "grid", x1: px(tk[0]), x2: px(tk[0]), y1: y0, y2: y1 }));
      gridLayer.appendChild(sv("line", { "class": "grid", x1: x0, x2: x1, y1: py(tk[0]), y2: py(tk[0]) }));
      gridLayer.appendChild(sv("text", { "class": "tick", x: px(tk[0]), y: y0 + 14, "text-anchor": "middle" }, label));
      gridLayer.appendChild(sv("text", { "class": "tick", x: x0 - 5, y: py(tk[0]) + 3, "text-anchor": "end" }, label));
    });
    gridLayer.appendChild(sv("line", { "class": "diag", x1: x0, y1: y0, x2: x1, y2: y1 }));
    gridLayer.appendChild(sv("line", { "class": "axis", x1: x0, x2: x1, y1: y0, y2: y0 }));
    gridLayer.appendChild(sv("line", { "class": "axis", x1: x0, x2: x0, y1: y0, y2: y1 }));
    var how = state.scale === "rank" ? "frequency rank among the terms shown" : "per 10,000 tokens (log)";
    gridLayer.appendChild(sv("text", { "class": "axlab", x: (x0 + x1) / 2, y: SH - 12, "text-anchor": "middle" },
      sd.rLabel + ": " + how));
    gridLayer.appendChild(sv("text", { "class": "axlab", x: 14, y: (y0 + y1) / 2, "text-anchor": "middle",
      transform: "rotate(-90 14 " + (y0 + y1) / 2 + ")" }, sd.tLabel + ": " + how));
  }

  function drawLegend(sd, max) {
    var lg = $("legend");
    clear(lg);
    var n = 40, x0 = 170, w = 300;
    for (var k = 0; k < n; k++) {
      var t = -1 + 2 * (k + 0.5) / n;
      lg.appendChild(sv("rect", { x: x0 + k * w / n, y: 4, width: w / n + 0.5, height: 12, fill: colour(t) }));
    }
    var m = state.measure;
    lg.appendChild(sv("text", { "class": "tick", x: x0 - 6, y: 14, "text-anchor": "end" },
      "\u2264 " + num(-max) + "  " + sd.rShort + " uses more"));
    lg.appendChild(sv("text", { "class": "tick", x: x0 + w + 6, y: 14 },
      sd.tLabel + " uses more  \u2265 " + num(max)));
    lg.appendChild(sv("text", { "class": "tick", x: x0 + w / 2, y: 32, "text-anchor": "middle" },
      "colour: " + (MEASURE_LABEL[m] || m) + "; grey: not tested (fewer than " + meta.min_count + " occurrences)"));
  }

  function labelTerms(sd, vals, pos) {
    clear(labelLayer);
    var order = [];
    for (var i = 0; i < NT; i++) {
      if (vals[i] !== null && isFinite(vals[i]) && (sd.x[i] > 0 || sd.y[i] > 0)) { order.push(i); }
    }
    order.sort(function (a, b) { return vals[b] - vals[a] || (TERMS[a] < TERMS[b] ? -1 : 1); });
    var chosen = order.slice(0, 9).concat(order.slice(Math.max(9, order.length - 9)).reverse());
    if (state.selected >= 0 && chosen.indexOf(state.selected) < 0) { chosen.unshift(state.selected); }
    var boxes = [];
    function free(b) {
      return b.x0 >= ML + 2 && b.x1 <= SW && b.y0 >= MT - 6 && b.y1 <= SH - MB && boxes.every(function (o) {
        return b.x1 < o.x0 || b.x0 > o.x1 || b.y1 < o.y0 || b.y0 > o.y1;
      });
    }
    chosen.forEach(function (i) {
      var cx = px(pos.u[i]), cy = py(pos.v[i]), w = 6.3 * TERMS[i].length, tries = [[6, 4], [-6 - w, 4], [6, -8], [-6 - w, 14]];
      for (var k = 0; k < tries.length; k++) {
        var b = { x0: cx + tries[k][0], x1: cx + tries[k][0] + w, y0: cy + tries[k][1] - 10, y1: cy + tries[k][1] + 2 };
        if (free(b) || i === state.selected) {
          boxes.push(b);
          labelLayer.appendChild(sv("text", { "class": "lab" + (i === state.selected ? " sel" : ""), x: b.x0,
            y: cy + tries[k][1], "data-i": i }, TERMS[i]));
          break;
        }
      }
    });
  }

  function drawScatter() {
    var sd = sides(state.cmp);
    var vals = D.comparisons[state.cmp].values[state.measure];
    var pos = positions(sd);
    var max = scaleMax(vals);
    drawAxes(sd, pos);
    var order = [];
    for (var i = 0; i < NT; i++) {
      var p = points[i], v = vals[i];
      var visible = sd.x[i] > 0 || sd.y[i] > 0;
      p.setAttribute("visibility", visible ? "visible" : "hidden");
      p.setAttribute("cx", px(pos.u[i]).toFixed(1));
      p.setAttribute("cy", py(pos.v[i]).toFixed(1));
      p.setAttribute("fill", colour(v === null ? null : v / max));
      p.firstChild.textContent = TERMS[i] + "\n" + sd.tLabel + ": " + fmt(sd.y[i]) + "  \u00b7  " + sd.rShort + ": " +
        fmt(sd.x[i]) + "\n" + state.measure + ": " + num(v);
      order.push(i);
    }
    order.sort(function (a, b) {
      var va = vals[a] === null ? -1 : Math.abs(vals[a]), vb = vals[b] === null ? -1 : Math.abs(vals[b]);
      return va - vb;
    });
    order.forEach(function (i) { pointLayer.appendChild(points[i]); });
    state.matches.forEach(function (i) { pointLayer.appendChild(points[i]); });
    if (state.selected >= 0) { pointLayer.appendChild(points[state.selected]); }
    labelTerms(sd, vals, pos);
    drawLegend(sd, max);
    var cmp = D.comparisons[state.cmp];
    var notes = [];
    if (cmp.docs_target === 1 || (cmp.reference >= 0 && cmp.docs_reference === 1)) {
      notes.push("One side rests on a single document: a difference here is a difference between documents.");
    }
    if (cmp.doc_test) { notes.push("Test over documents: " + cmp.doc_test + "."); }
    $("comparison-note").textContent = notes.join(" ");
  }

  var tested = D.terms.tested;
  $("terms-note").textContent = (NT < tested
    ? "Showing " + fmt(NT) + " of the " + fmt(tested) + " terms with at least " + meta.min_count +
      " occurrences (the most frequent and the most key, taken in turn; cap max_terms = " + fmt(D.terms.max_terms) + "). "
    : "Showing all " + fmt(NT) + " terms with at least " + meta.min_count + " occurrences. ") +
    fmt(meta.vocabulary) + " terms in all, " + fmt(meta.tokens) + " tokens. Click a point or a label for its concordance.";

  function refreshClasses() {
    var m = new Set(state.matches);
    for (var i = 0; i < NT; i++) {
      var cls = "pt" + (m.has(i) ? " match" : "") + (i === state.selected ? " sel" : "");
      points[i].setAttribute("class", cls);
      points[i].setAttribute("r", i === state.selected ? 6 : (m.has(i) ? 4.5 : 3.2));
    }
  }

  scatter.addEventListener("click", function (ev) {
    var t = ev.target;
    if (t && t.getAttribute && t.getAttribute("data-i") !== null) { selectTerm(Number(t.getAttribute("data-i"))); }
  });
  cmpSelect.addEventListener("change", function () {
    state.cmp = Number(cmpSelect.value);
    drawScatter();
    refreshClasses();
    if (state.selected >= 0) { showTerm(state.selected); }
  });
  measureSelect.addEventListener("change", function () {
    state.measure = measureSelect.value;
    drawScatter();
    refreshClasses();
  });
  $("scale").addEventListener("change", function () {
    state.scale = $("scale").value;
    drawScatter();
    refreshClasses();
  });

  // ------------------------------------------------------------------ terms: search

  var search = $("term-search"), results = $("search-results");
  var termIndex = new Map(TERMS.map(function (t, i) { return [t, i]; }));
  var totals = TERMS.map(function (_, i) {
    var s = 0;
    for (var g = 0; g < G.length; g++) { s += COUNTS[g][i]; }
    return s;
  });

  function findTerms(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var q2 = q.replace(/\s+/g, "_");
    var hits = [];
    for (var i = 0; i < NT; i++) {
      var t = TERMS[i].toLowerCase();
      var k = t === q || t === q2 ? 0 : (t.indexOf(q) === 0 || t.indexOf(q2) === 0 ? 1
        : (t.indexOf(q) >= 0 || t.indexOf(q2) >= 0 ? 2 : -1));
      if (k >= 0) { hits.push([k, i]); }
    }
    hits.sort(function (a, b) { return a[0] - b[0] || totals[b[1]] - totals[a[1]] || (TERMS[a[1]] < TERMS[b[1]] ? -1 : 1); });
    return hits.map(function (x) { return x[1]; });
  }

  function runSearch() {
    var found = findTerms(search.value);
    clear(results);
    state.matches = found.slice(0, 200);
    if (search.value.trim() && !found.length) {
      results.appendChild(h("li", "none", "No term shown contains \u201c" + search.value.trim() + "\u201d" +
        " (terms with fewer than " + meta.min_count + " occurrences are not tested" +
        (NT < tested ? ", and " + fmt(NT) + " of the " + fmt(tested) + " tested are on the page)." : ").")));
    }
    found.slice(0, 15).forEach(function (i) {
      var li = h("li");
      var b = h("button", "result", TERMS[i]);
      b.type = "button";
      b.setAttribute("data-i", String(i));
      b.title = fmt(totals[i]) + " occurrences";
      b.addEventListener("click", function () { selectTerm(i); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length > 15) { results.appendChild(h("li", "none", "\u2026 and " + fmt(found.length - 15) + " more")); }
    refreshClasses();
    state.matches.forEach(function (i) { pointLayer.appendChild(points[i]); });
    if (state.selected >= 0) { pointLayer.appendChild(points[state.selected]); }
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = findTerms(search.value);
      if (found.length) { selectTerm(found[0]); }
      ev.preventDefault();
    }
  });

  // ------------------------------------------------------------------ terms: the chosen term and its concordance

  var linesByTerm = new Map();
  D.kwic.lines.forEach(function (line, k) {
    var list = linesByTerm.get(line[0]);
    if (!list) { list = []; linesByTerm.set(line[0], list); }
    list.push(k);
  });

  function statRow(body, label, value) {
    var tr = h("tr");
    tr.appendChild(h("th", null, label));
    tr.appendChild(h("td", null, value));
    body.appendChild(tr);
  }

  function showTerm(i) {
    var sd = sides(state.cmp), cmp = D.comparisons[state.cmp], V = cmp.values;
    $("term-title").textContent = TERMS[i];
    var body = $("term-stats").tBodies[0];
    clear(body);
    statRow(body, sd.tLabel, fmt(sd.y[i]) + " (" + num(sd.y[i] / sd.sizeT * 1e4) + " per 10,000)");
    statRow(body, sd.rLabel, fmt(sd.x[i]) + " (" + num(sd.x[i] / sd.sizeR * 1e4) + " per 10,000)");
    D.measures.forEach(function (m) { statRow(body, MEASURE_LABEL[m] || m, num(V[m][i])); });
    var pval = function (v) { return v === 0 ? "< 1e-300" : num(v); };
    statRow(body, "p (G\u00b2, adjusted)", pval(V.p_adj[i]));
    statRow(body, "p over documents (adjusted)", V.p_docs_adj[i] === null ? "none (" + (cmp.doc_test || "not tested") + ")"
      : pval(V.p_docs_adj[i]));
    statRow(body, sd.tLabel + " documents using it", V.docs_with_term[i] === null ? "\u2013"
      : fmt(V.docs_with_term[i]) + " of " + fmt(cmp.docs_target));
    if (cmp.dominant[i] >= 0) {
      statRow(body, "largest share in one " + sd.tLabel + " document", num(V.dominant_share[i]) + " (" +
        D.docs[cmp.dominant[i]][0] + ")");
    }
    var tbody = $("kwic").tBodies[0];
    clear(tbody);
    var ks = (linesByTerm.get(i) || []).slice();
    var rank = function (g) { return g === sd.t ? 0 : (sd.refs.indexOf(g) >= 0 ? 1 : 2); };
    ks.sort(function (a, b) {
      var ga = D.docs[D.segments[D.kwic.lines[a][1]][0]][1], gb = D.docs[D.segments[D.kwic.lines[b][1]][0]][1];
      return rank(ga) - rank(gb) || a - b;
    });
    var W = D.kwic.window;
    ks.forEach(function (k) {
      var L = D.kwic.lines[k], seg = L[1], lo = L[2], a = L[3], b = L[4], hi = L[5];
      var doc = docOf(seg), g = doc[1];
      var left = squash(segText(seg, lo, a)), right = squash(segText(seg, b, hi));
      if (a - lo >= W) { left = "\u2026" + left.replace(/^\S*\s/, ""); }
      if (hi - b >= W) { right = right.replace(/\s\S*$/, "") + "\u2026"; }
      var tr = h("tr", rank(g) === 0 ? "tgt" : (rank(g) === 1 ? "ref" : "other"));
      var td = h("td", "doc");
      td.appendChild(h("span", null, doc[0]));
      td.appendChild(h("span", null, G[g] + " \u00b7 " + fmt(segStart(seg) + a) + "\u2013" + fmt(segStart(seg) + b)));
      tr.appendChild(td);
      tr.appendChild(h("td", "left", left));
      tr.appendChild(h("td", "kw", squash(segText(seg, a, b))));
      tr.appendChild(h("td", "right", right));
      tbody.appendChild(tr);
    });
    var total = totals[i];
    $("kwic-note").textContent = ks.length
      ? (ks.length < total ? fmt(ks.length) + " of " + fmt(total) + " occurrences shown (up to " + D.kwic.max_lines +
          " per term, shared among the groups, evenly spaced through each). framing kwic lists them all."
        : "All " + fmt(total) + " occurrences.")
      : "No concordance lines embedded for this term.";
  }

  function selectTerm(i) {
    state.selected = i;
    refreshClasses();
    pointLayer.appendChild(points[i]);
    labelTerms(sides(state.cmp), D.comparisons[state.cmp].values[state.measure], positions(sides(state.cmp)));
    showTerm(i);
  }

  drawScatter();
  (function initialTerm() {
    var vals = D.comparisons[0].values[state.measure], best = -1;
    for (var i = 0; i < NT; i++) {
      if (vals[i] !== null && (best < 0 || vals[i] > vals[best])) { best = i; }
    }
    if (best >= 0) { selectTerm(best); }
  })();

  // ------------------------------------------------------------------ frames

  var F = D.frames;
  if (!F) {
    $("frames-none").hidden = false;
    $("frames-body").hidden = true;
  } else {
    setUpFrames();
  }

  function setUpFrames() {
    var rows = F.rows;
    var docsInSample = Array.from(new Set(rows.map(function (r) { return r[1]; }))).sort(function (a, b) { return a - b; });
    var fSel = $("ev-frame"), gSel = $("ev-group"), dSel = $("ev-doc"), sSel = $("ev-stance");
    option(fSel, "", "all frames");
    F.ids.forEach(function (f, k) { option(fSel, k, F.labels[k] + " (" + f + ")"); });
    option(gSel, "", "all groups");
    G.forEach(function (g, k) { option(gSel, k, g); });
    option(dSel, "", "all documents");
    docsInSample.forEach(function (d) { option(dSel, d, D.docs[d][0]); });
    option(sSel, "", "all stances");
    F.stances.forEach(function (s, k) { option(sSel, k, s); });
    var inSample = rows.length;
    $("frames-meta").textContent = "Codebook " + F.codebook + (F.subject ? "; subject: " + F.subject : "") + ". " +
      (inSample < F.n_hits ? "The page holds " + fmt(inSample) + " of the " + fmt(F.n_hits) +
        " hits: a sample shared among frame \u00d7 group cells, evenly spaced through each (cap max_evidence)."
        : "All " + fmt(F.n_hits) + " hits are on the page.");

    var totalCells = {};
    F.totals.forEach(function (t) {
      var key = t[0] + ":" + t[1];
      totalCells[key] = (totalCells[key] || 0) + t[3];
    });
    var table = $("ev-totals");
    function drawTotals() {
      clear(table);
      var head = h("tr");
      head.appendChild(h("th", "row", "frame"));
      G.forEach(function (g, k) { head.appendChild(h("th", gSel.value === String(k) ? "on" : "", g)); });
      table.appendChild(head);
      F.ids.forEach(function (f, fi) {
        var tr = h("tr");
        tr.appendChild(h("th", "row" + (fSel.value === String(fi) ? " on" : ""), F.labels[fi]));
        G.forEach(function (g, gi) {
          var on = fSel.value === String(fi) && gSel.value === String(gi);
          var td = h("td", on ? "on" : "", fmt(totalCells[fi + ":" + gi] || 0));
          td.setAttribute("data-frame", String(fi));
          td.setAttribute("data-group", String(gi));
          td.title = F.labels[fi] + " in " + g;
          tr.appendChild(td);
        });
        table.appendChild(tr);
      });
    }
    table.addEventListener("click", function (ev) {
      var td = ev.target;
      if (td && td.getAttribute && td.getAttribute("data-frame") !== null) {
        fSel.value = td.getAttribute("data-frame");
        gSel.value = td.getAttribute("data-group");
        dSel.value = "";
        render();
      }
    });

    var shown = 0, matching = [];
    var list = $("ev-list"), more = $("ev-more");
    var PAGE = 100;

    function hitItem(r) {
      var li = h("li", "hit");
      li.setAttribute("data-frame", F.ids[r[0]]);
      li.setAttribute("data-group", G[D.docs[r[1]][1]]);
      li.setAttribute("data-stance", F.stances[r[2]]);
      var head = h("div", "hit-head");
      head.appendChild(h("b", "frame", F.labels[r[0]]));
      head.appendChild(document.createTextNode(" \u00b7 " + F.indicators[r[3]] + " "));
      var st = h("span", "stance " + F.stances[r[2]], F.stances[r[2]] + (F.cues[r[4]] ? ": \u201c" + F.cues[r[4]] + "\u201d" : ""));
      head.appendChild(st);
      if (F.sides[r[5]]) { head.appendChild(document.createTextNode(" side: " + F.sides[r[5]] + " \u00b7")); }
      var seg = r[6], base = segStart(seg);
      head.appendChild(document.createTextNode(" " + D.docs[r[1]][0] + " \u00b7 " + G[D.docs[r[1]][1]] + " \u00b7 " +
        fmt(base + r[8]) + "\u2013" + fmt(base + r[9])));
      li.appendChild(head);
      var p = h("p", "hit-text");
      var before = squash(segText(seg, r[7], r[8])), after = squash(segText(seg, r[9], r[10]));
      if (r[11] & 1) { before = "\u2026" + before.replace(/^\S*\s/, ""); }
      if (r[11] & 2) { after = after.replace(/\s\S*$/, "") + "\u2026"; }
      p.appendChild(document.createTextNode(before));
      p.appendChild(h("mark", null, squash(segText(seg, r[8], r[9]))));
      p.appendChild(document.createTextNode(after));
      li.appendChild(p);
      return li;
    }

    function showMore() {
      var stop = Math.min(matching.length, shown + PAGE);
      for (; shown < stop; shown++) { list.appendChild(hitItem(rows[matching[shown]])); }
      more.hidden = shown >= matching.length;
      var c = $("ev-count");
      c.setAttribute("data-n", String(matching.length));
      c.textContent = fmt(matching.length) + " hit" + (matching.length === 1 ? "" : "s") + " match" +
        (inSample < F.n_hits ? " in the page's sample" : "") + "; showing " + fmt(shown) + ".";
    }

    function render() {
      var f = fSel.value, g = gSel.value, d = dSel.value, s = sSel.value;
      matching = [];
      for (var k = 0; k < rows.length; k++) {
        var r = rows[k];
        if ((f === "" || r[0] === Number(f)) && (g === "" || D.docs[r[1]][1] === Number(g)) &&
          (d === "" || r[1] === Number(d)) && (s === "" || r[2] === Number(s))) { matching.push(k); }
      }
      clear(list);
      shown = 0;
      showMore();
      drawTotals();
    }
    [fSel, gSel, dSel, sSel].forEach(function (sel) { sel.addEventListener("change", render); });
    more.addEventListener("click", showMore);
    render();
  }

  // ------------------------------------------------------------------ topics

  var T = D.topics;
  if (!T) {
    $("topics-none").hidden = false;
    $("topics-body").hidden = true;
  } else {
    setUpTopics();
  }

  function setUpTopics() {
    var K = T.k, map = $("topic-map"), bars = $("topic-bars"), sel = $("topic-select"), lam = $("lambda");
    var topic = 0;
    for (var k = 1; k < K; k++) { if (T.prevalence[k] > T.prevalence[topic]) { topic = k; } }
    $("topics-meta").textContent = T.model + ": " + K + " topics over " + fmt(T.n_units) + " paragraphs, " +
      fmt(T.tokens) + " tokens, " + fmt(T.vocabulary) + " terms.";
    T.labels.forEach(function (l, k) { option(sel, k, l + " (" + num(T.prevalence[k] * 100) + "% of tokens)"); });

    var MW = 480, pad = 70;
    var xs = T.x, ys = T.y;
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var span = Math.max(maxX - minX, maxY - minY) || 1;
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    function mx(x) { return MW / 2 + (x - cx) / span * (MW - 2 * pad); }
    function my(y) { return MW / 2 - (y - cy) / span * (MW - 2 * pad); }
    map.appendChild(sv("line", { "class": "diag", x1: 10, x2: MW - 10, y1: my(0), y2: my(0) }));
    map.appendChild(sv("line", { "class": "diag", y1: 10, y2: MW - 10, x1: mx(0), x2: mx(0) }));
    map.appendChild(sv("text", { "class": "tick", x: MW - 12, y: my(0) - 4, "text-anchor": "end" }, "PC1"));
    map.appendChild(sv("text", { "class": "tick", x: mx(0) + 4, y: 20 }, "PC2"));
    var maxP = Math.max.apply(null, T.prevalence) || 1;
    var order = T.prevalence.map(function (_, k) { return k; }).sort(function (a, b) { return T.prevalence[b] - T.prevalence[a]; });
    var circles = [];
    order.forEach(function (k) {
      var c = sv("circle", { "class": "topic", cx: mx(xs[k]).toFixed(1), cy: my(ys[k]).toFixed(1),
        r: Math.max(5, 62 * Math.sqrt(T.prevalence[k] / maxP)).toFixed(1), "data-k": k });
      c.appendChild(sv("title", null, T.labels[k] + "\n" + num(T.prevalence[k] * 100) + "% of tokens"));
      circles[k] = c;
      map.appendChild(c);
    });
    order.forEach(function (k) {
      map.appendChild(sv("text", { "class": "tnum", x: mx(xs[k]).toFixed(1), y: my(ys[k]).toFixed(1) }, String(k)));
    });
    map.addEventListener("click", function (ev) {
      var t = ev.target;
      if (t && t.getAttribute && t.getAttribute("data-k") !== null) { choose(Number(t.getAttribute("data-k"))); }
    });
    sel.addEventListener("change", function () { choose(Number(sel.value)); });
    lam.addEventListener("input", function () { $("lambda-value").textContent = lam.value; drawBars(); });

    var pw = T.term_freq.map(function (f) { return f / T.tokens; });

    function drawBars() {
      var l = Number(lam.value);
      var entries = T.phi[topic].map(function (e) {
        var v = e[0], p = e[1];
        var rel = p > 0 ? l * Math.log(p) + (1 - l) * Math.log(p / pw[v]) : -Infinity;
        return { v: v, p: p, rel: rel };
      });
      entries.sort(function (a, b) { return b.rel - a.rel || (T.vocab[a.v] < T.vocab[b.v] ? -1 : 1); });
      entries = entries.slice(0, 30);
      clear(bars);
      var BW = 520, left = 150, row = 16.5, top = 8;
      bars.setAttribute("viewBox", "0 0 " + BW + " " + (top + row * entries.length + 26));
      var max = Math.max.apply(null, entries.map(function (e) { return T.term_freq[e.v]; })) || 1;
      var width = BW - left - 20;
      entries.forEach(function (e, r) {
        var y = top + r * row;
        var overall = T.term_freq[e.v], within = Math.min(overall, e.p * T.mass[topic]);
        var g = sv("g", { "data-term": T.vocab[e.v] });
        g.appendChild(sv("text", { "class": "term", x: left - 6, y: y + row / 2 }, T.vocab[e.v]));
        var a = sv("rect", { "class": "overall", x: left, y: y + 2, height: row - 4, width: (overall / max * width).toFixed(1) });
        a.appendChild(sv("title", null, T.vocab[e.v] + ": " + fmt(overall) + " tokens in all"));
        var b = sv("rect", { "class": "within", x: left, y: y + 2, height: row - 4, width: (within / max * width).toFixed(1) });
        b.appendChild(sv("title", null, T.vocab[e.v] + ": about " + fmt(Math.round(within)) + " in topic " + topic +
          " (p = " + num(e.p) + ")"));
        g.appendChild(a);
        g.appendChild(b);
        bars.appendChild(g);
      });
      var axisY = top + row * entries.length + 4;
      bars.appendChild(sv("line", { "class": "axis", x1: left, x2: left + width, y1: axisY, y2: axisY }));
      bars.appendChild(sv("text", { "class": "tick", x: left, y: axisY + 14 }, "0"));
      bars.appendChild(sv("text", { "class": "tick", x: left + width, y: axisY + 14, "text-anchor": "end" }, fmt(max) + " tokens"));
    }

    function choose(k) {
      topic = k;
      sel.value = String(k);
      circles.forEach(function (c, j) { c.setAttribute("class", "topic" + (j === k ? " sel" : "")); });
      $("topic-title").textContent = T.labels[k] + " \u00b7 " + num(T.prevalence[k] * 100) + "% of tokens";
      drawBars();
      var body = $("topic-groups").tBodies[0];
      clear(body);
      T.groups.forEach(function (g, gi) { statRow(body, g, num(T.group_share[gi][k])); });
      var reps = $("topic-reps");
      clear(reps);
      T.reps[k].forEach(function (r) {
        var seg = r[0], doc = docOf(seg), li = h("li");
        li.appendChild(h("div", "hit-head", r[5] + " \u00b7 " + G[doc[1]] + " \u00b7 share " +
          num(r[3]) + " \u00b7 " + fmt(segStart(seg) + r[1]) + "\u2013" + fmt(segStart(seg) + r[2])));
        li.appendChild(h("p", "hit-text", squash(segText(seg, r[1], r[2])) + (r[4] ? " \u2026" : "")));
        reps.appendChild(li);
      });
    }
    choose(topic);
  }

  if (!F) { $("tab-frames").classList.add("empty"); }
  if (!T) { $("tab-topics").classList.add("empty"); }
})();
