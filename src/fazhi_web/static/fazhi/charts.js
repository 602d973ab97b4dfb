// Each chart container names the json_script element that holds its ECharts option.
// A file rather than an inline script: the Content-Security-Policy allows only these.
// A chart with nothing to show (the server sends its series empty) says so instead
// of drawing bare axes.
document.querySelectorAll("[data-chart]").forEach(function (el) {
  var source = document.getElementById(el.dataset.chart);
  if (!source) { return; }
  var option = JSON.parse(source.textContent);
  var empty = (option.series || []).every(function (s) { return !s.data || s.data.length === 0; });
  if (empty) {
    el.classList.add("chart-empty");
    el.textContent = "暂无数据";
    return;
  }
  var chart = echarts.init(el);
  chart.setOption(option);
  window.addEventListener("resize", function () { chart.resize(); });
});
