// 本部门统计: a bar chart of each item's received and decided cases, from the figures the
// page's table shows (a JSON script element: the page runs no inline script).
(() => {
  const data = document.getElementById("stats-chart-data");
  const box = document.getElementById("stats-chart");
  if (!data || !box) return;
  const d = JSON.parse(data.textContent);
  const chart = echarts.init(box);
  chart.setOption({
    textStyle: {fontSize: 14},
    tooltip: {trigger: "axis"},
    legend: {data: ["收件", "办结"]},
    grid: {left: 48, right: 16, bottom: 96},
    xAxis: {type: "category", data: d.items, axisLabel: {interval: 0, rotate: 30}},
    yAxis: {type: "value", minInterval: 1},
    series: [
      {name: "收件", type: "bar", data: d.received, itemStyle: {color: "#0d6efd"}},
      {name: "办结", type: "bar", data: d.decided, itemStyle: {color: "#1e7e34"}},
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
