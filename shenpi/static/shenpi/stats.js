// A chart with nothing to draw says so in words, where the chart would have been.
function nothing(box, message) {
  box.classList.add("chart-empty");
  box.removeAttribute("role");
  box.textContent = message;
}

// 本部门统计: a bar chart of each item's received and decided cases, from the figures the
// page's table shows (a JSON script element: the page runs no inline script).
(() => {
  const data = document.getElementById("stats-chart-data");
  const box = document.getElementById("stats-chart");
  if (!data || !box) return;
  const d = JSON.parse(data.textContent);
  if (!d.items.length || d.received.concat(d.decided).every((v) => !v)) {
    nothing(box, "本期没有收件或办结，暂无图表数据。");
    return;
  }
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

// 决策辅助: the last twelve months' applications beside the same months a year earlier,
// and next month's forecast with its interval.
(() => {
  const data = document.getElementById("decision-chart-data");
  const box = document.getElementById("trend-chart");
  if (!data || !box) return;
  const d = JSON.parse(data.textContent);
  if (!d.received.concat(d.received_before).some((v) => v)) {
    nothing(box, "近两年没有收件，暂无趋势数据。");
    return;
  }
  const months = d.months.slice();
  const now = d.received.slice();
  const before = d.received_before.slice();
  const forecast = months.map(() => null);
  if (d.forecast) {
    months.push("下月预测");
    now.push(null);
    before.push(null);
    forecast[forecast.length - 1] = now[now.length - 2];
    forecast.push(d.forecast[0]);
  }
  const chart = echarts.init(box);
  chart.setOption({
    textStyle: {fontSize: 14},
    tooltip: {trigger: "axis"},
    legend: {data: ["收件", "上年同月", "预测"]},  // the triangles: the 80 % interval
    grid: {left: 56, right: 16, bottom: 64},
    xAxis: {type: "category", data: months, axisLabel: {interval: 0, rotate: 30}},
    yAxis: {type: "value", minInterval: 1},
    series: [
      {name: "收件", type: "line", data: now, itemStyle: {color: "#0d6efd"}},
      {name: "上年同月", type: "line", data: before, lineStyle: {type: "dashed"}, itemStyle: {color: "#6c757d"}},
      {name: "预测", type: "line", data: forecast, lineStyle: {type: "dotted"}, itemStyle: {color: "#b02a37"}},
      {name: "预测", type: "scatter", symbol: "triangle", symbolSize: 8, itemStyle: {color: "#b02a37"},
       data: d.forecast ? [["下月预测", d.forecast[1]], ["下月预测", d.forecast[2]]] : []},
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
