/* The pipeline's analytics charts (ECharts). The figures come from the #analytics-data JSON (json_script); every
   point carries the URL of the list it counts, and a click opens it. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  var PALETTE = ["#c8282c", "#e0672b", "#e8a33d", "#5b8c5a", "#2f7f9e", "#3f5f9f", "#6b4c9a"];
  var charts = [];

  function open(params) {
    if (params && params.data && params.data.url) window.location.href = params.data.url;
  }

  function funnel(data) {
    return {
      color: PALETTE,
      tooltip: {trigger: "item", formatter: "{b}: {c}"},
      series: [{
        type: "funnel", sort: "none", left: "8%", right: "8%", top: 8, bottom: 8, minSize: "32%", gap: 2,
        label: {show: true, position: "inside", formatter: "{b}  {c}", color: "#fff", fontSize: 13, overflow: "truncate"},
        data: data
      }]
    };
  }

  function times(data) {
    return {
      color: ["#c8282c", "#8a9bb0"],
      tooltip: {trigger: "axis"},
      legend: {bottom: 0, data: [data.labels.median, data.labels.mean]},
      grid: {left: 40, right: 16, top: 16, bottom: 48},
      xAxis: {type: "category", data: data.stages, axisLabel: {interval: 0}},
      yAxis: {type: "value", minInterval: 1},
      series: [
        {name: data.labels.median, type: "bar", barMaxWidth: 36, data: data.median},
        {name: data.labels.mean, type: "bar", barMaxWidth: 36, data: data.mean}
      ]
    };
  }

  function dimension(data) {
    var rotate = data.names.length > 5 ? 30 : 0;
    return {
      color: ["#c8282c", "#5b8c5a", "#2f7f9e", "#e8a33d"],
      tooltip: {trigger: "axis"},
      legend: {bottom: 0, data: [data.labels.signed, data.labels.landed, data.labels.started, data.labels.amount]},
      grid: {left: 40, right: 48, top: 16, bottom: rotate ? 84 : 48},
      xAxis: {type: "category", data: data.names, axisLabel: {interval: 0, rotate: rotate}},
      yAxis: [{type: "value", minInterval: 1}, {type: "value", splitLine: {show: false}}],
      series: [
        {name: data.labels.signed, type: "bar", barMaxWidth: 36, data: data.signed},
        {name: data.labels.landed, type: "bar", barMaxWidth: 36, data: data.landed},
        {name: data.labels.started, type: "bar", barMaxWidth: 36, data: data.started},
        {name: data.labels.amount, type: "line", yAxisIndex: 1, symbolSize: 8, data: data.amount}
      ]
    };
  }

  var BUILDERS = {funnel: funnel, times: times, sector: dimension, category: dimension, channel: dimension};

  function draw() {
    var src = document.getElementById("analytics-data");
    if (!src || !window.echarts) return;
    var all = JSON.parse(src.textContent);
    document.querySelectorAll(".tj-chart[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      if (!all[name] || !BUILDERS[name]) return;
      var chart = echarts.init(el);
      chart.setOption(BUILDERS[name](all[name]));
      chart.on("click", open);
      charts.push(chart);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw();
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
