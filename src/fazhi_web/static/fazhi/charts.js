// Each chart container names the json_script element that holds its ECharts option.
// A file rather than an inline script: the Content-Security-Policy allows only these.
document.querySelectorAll("[data-chart]").forEach(function (el) {
  var source = document.getElementById(el.dataset.chart);
  if (!source) { return; }
  var chart = echarts.init(el);
  chart.setOption(JSON.parse(source.textContent));
  window.addEventListener("resize", function () { chart.resize(); });
});
