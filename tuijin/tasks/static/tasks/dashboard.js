/* The dashboard's status doughnut (ECharts); the figures come from the element's data-values. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("status-chart");
  if (!el || !window.echarts) return;
  var chart = echarts.init(el);
  chart.setOption({
    color: ["#198754", "#ffc107", "#dc3545", "#6c757d"],
    tooltip: {trigger: "item"},
    legend: {bottom: 0},
    series: [{type: "pie", radius: ["45%", "70%"], data: JSON.parse(el.dataset.values), label: {formatter: "{c}"}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
