// The administrators' web page's only script (no inline scripts: the page's CSP forbids them).
// Draws the charts whose data the server put in data-chart, and follows a notice going out by
// polling its progress until it is done, then reloads the page for the final report; the same
// for the index rebuilt after a document changed. A document larger than the limit is refused
// before it is sent, with the page's own message.

(() => {
  var COLORS = ["#2e7d32", "#f9a825", "#c62828", "#1565c0", "#6a1b9a"];

  function drawChart(el) {
    if (typeof uPlot === "undefined") return;
    var data = JSON.parse(el.getAttribute("data-chart"));
    // Days as people write them in Vietnam: 01/12 (the points are noon, Vietnam's time).
    var two = (n) => (n < 10 ? `0${n}` : String(n));
    var day = (ts) => {
      var d = new Date((ts + 7 * 3600) * 1000);
      return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}`;
    };
    var series = [
      {
        label: data.xLabel,
        value: (_u, ts) => (ts == null ? "" : day(ts)),
      },
    ];
    var columns = [data.x];
    data.series.forEach((s, i) => {
      series.push({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        points: { show: true, size: 5 },
      });
      columns.push(s.values);
    });
    var width = () => Math.max(280, el.clientWidth || 600);
    var plot = new uPlot(
      {
        width: width(),
        height: 260,
        series: series,
        scales: { x: { time: true } },
        axes: [{ values: (_u, splits) => splits.map(day) }, { size: 40 }],
      },
      columns,
      el,
    );
    el.setAttribute("data-drawn", String(data.x.length));
    window.addEventListener("resize", () => {
      plot.setSize({ width: width(), height: 260 });
    });
  }

  function followProgress(el) {
    var url = el.getAttribute("data-progress");
    var bar = el.querySelector("progress");
    var text = el.querySelector(".progress-text");
    var tick = () => {
      fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((p) => {
          if (!p) return;
          if (bar) {
            bar.max = p.counts.total;
            bar.value = p.counts.total - p.counts.pending;
          }
          if (text)
            text.textContent = `${p.statusText}: ${p.counts.total - p.counts.pending}/${p.counts.total}`;
          if (p.finished) window.location.reload();
          else setTimeout(tick, 1000);
        })
        .catch(() => {
          setTimeout(tick, 3000);
        });
    };
    setTimeout(tick, 1000);
  }

  function followIngest(el) {
    var url = el.getAttribute("data-ingest");
    var bar = el.querySelector("progress");
    var text = el.querySelector(".progress-text");
    var tick = () => {
      fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((p) => {
          if (!p) return;
          var job = p.job;
          if (bar && job) {
            bar.max = Math.max(1, job.documentsTotal);
            bar.value = job.documentsDone;
          }
          if (text) text.textContent = p.text;
          if (p.finished) window.location.reload();
          else setTimeout(tick, 500);
        })
        .catch(() => {
          setTimeout(tick, 2000);
        });
    };
    setTimeout(tick, 500);
  }

  function sizeText(bytes) {
    var mb = bytes >= 1000000;
    return `${(bytes / (mb ? 1000000 : 1000)).toFixed(1).replace(".", ",")} ${mb ? "MB" : "KB"}`;
  }

  function checkSize(input) {
    var form = input.form;
    form.addEventListener("submit", (e) => {
      var file = input.files?.[0];
      var max = Number(input.getAttribute("data-max-bytes"));
      if (!file || !(file.size > max)) return;
      e.preventDefault();
      var message = input
        .getAttribute("data-too-large")
        .replace("{file}", file.name)
        .replace("{size}", sizeText(file.size))
        .replace("{max}", input.getAttribute("data-max"));
      var box = form.querySelector(".upload-error");
      if (box) {
        box.textContent = message;
        box.hidden = false;
      } else window.alert(message);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart]").forEach(drawChart);
    document.querySelectorAll("[data-progress]").forEach(followProgress);
    document.querySelectorAll("[data-ingest]").forEach(followIngest);
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(checkSize);
  });
})();
