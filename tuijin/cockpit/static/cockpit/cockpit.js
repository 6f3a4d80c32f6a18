/* The cockpit's trend chart (ECharts). htmx re-renders the figures every minute; the chart element is
   preserved (hx-preserve) and redrawn from the fresh #trend-data, so it animates instead of flashing. */
(function () {
  "use strict";
  var chart = null;

  function dark() {
    return document.documentElement.getAttribute("data-bs-theme") === "dark";
  }

  function draw() {
    var el = document.getElementById("trend-chart");
    var src = document.getElementById("trend-data");
    if (!el || !src || !window.echarts) return;
    var months = JSON.parse(src.textContent);
    if (!chart || chart.isDisposed() || chart.getDom() !== el) {
      chart = echarts.init(el, dark() ? "dark" : null);
      chart.on("click", function (p) {
        if (p.data && p.data.url) window.location.href = p.data.url;
      });
    }
    var rateLabel = el.dataset.rateLabel, dueLabel = el.dataset.dueLabel;
    var wide = el.clientWidth > 480;
    chart.setOption({
      backgroundColor: "transparent",
      color: ["#c8282c", "#8a9bb0"],
      grid: {left: 44, right: 32, top: 24, bottom: 48},
      legend: {bottom: 0, data: [rateLabel, dueLabel]},
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var m = months[items[0].dataIndex];
          var rate = m.rate === null ? "—" : m.rate + "%";
          return m.label + "<br>" + rateLabel + ": <b>" + rate + "</b> (" + m.on_time.value + " / " + m.due.value + ")";
        }
      },
      xAxis: {type: "category", data: months.map(function (m) { return m.label; })},
      yAxis: [
        {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
        {type: "value", minInterval: 1, splitLine: {show: false}}
      ],
      series: [
        {
          name: rateLabel, type: "line", symbolSize: 10, connectNulls: false, z: 3,
          label: {show: wide, position: "top", formatter: function (p) { return p.value === null ? "" : p.value + "%"; }},
          data: months.map(function (m) { return {value: m.rate, url: m.due.url}; })
        },
        {
          name: dueLabel, type: "bar", yAxisIndex: 1, barWidth: "40%", itemStyle: {opacity: 0.45},
          data: months.map(function (m) { return {value: m.due.value, url: m.due.url}; })
        }
      ]
    });
  }

  // On the wall screen nobody scrolls: lists longer than their card (32 sectors…) roll slowly by themselves.
  function roll() {
    document.querySelectorAll(".tj-wall .tj-matrix .table-responsive, .tj-wall .tj-red-list").forEach(function (box) {
      if (box.scrollHeight <= box.clientHeight + 2) return;
      if (box.dataset.wait === undefined) box.dataset.wait = 40;
      var wait = Number(box.dataset.wait);
      if (wait > 0) { box.dataset.wait = wait - 1; return; }
      if (box.dataset.rewind) {
        delete box.dataset.rewind;
        box.scrollTop = 0;
        box.dataset.wait = 60;
      } else if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) {
        box.dataset.wait = 60;
        box.dataset.rewind = "1";
      } else {
        box.scrollTop += 1;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw();
    if (document.querySelector(".tj-wall")) setInterval(roll, 80);
    document.body.addEventListener("htmx:afterSettle", draw);
    window.addEventListener("resize", function () { if (chart) chart.resize(); });
  });
})();
