/* A round's ranking as horizontal bars (ECharts), from the #ranking-data json_script. */
(function () {
  "use strict";
  var src = document.getElementById("ranking-data");
  var el = document.getElementById("ranking-chart");
  if (!src || !el || !window.echarts) return;
  var data = JSON.parse(src.textContent);
  var chart = echarts.init(el);
  var names = [], totals = [];
  data.forEach(function (g) { g.names.forEach(function (n, i) { names.push(n); totals.push(g.totals[i]); }); });
  chart.setOption({
    tooltip: {}, grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
    xAxis: {type: "value"}, yAxis: {type: "category", data: names.slice().reverse(), axisLabel: {fontSize: 11}},
    series: [{type: "bar", data: totals.slice().reverse(), itemStyle: {color: "#b22222"}, label: {show: true, position: "right"}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
