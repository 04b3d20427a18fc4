// The supervision big screen: the day's figures and two charts, refreshed every 30 s from
// the URL in the page's data-source attribute.
(() => {
  const root = document.querySelector("[data-screen-source]");
  if (!root) return;
  const lights = echarts.init(document.getElementById("lights"));
  const reds = echarts.init(document.getElementById("reds"));
  function refresh() {
    fetch(root.dataset.screenSource, {credentials: "same-origin"}).then((r) => r.json()).then((d) => {
      for (const k of ["received_today", "accepted_today", "decided_today"]) {
        document.getElementById(k).textContent = d[k];
      }
      document.getElementById("on_time_rate").textContent =
        d.on_time_rate === null ? "—" : d.on_time_rate + "%";
      lights.setOption({title: {text: "在办件"}, series: [{type: "pie", radius: "60%", data: [
        {name: "正常", value: d.open_by_light.green, itemStyle: {color: "#1e7e34"}},
        {name: "黄牌", value: d.open_by_light.yellow, itemStyle: {color: "#f0ad00"}},
        {name: "红牌", value: d.open_by_light.red, itemStyle: {color: "#b02a37"}}]}]});
      reds.setOption({title: {text: "红牌最多的部门"},
        xAxis: {type: "category", data: d.most_red.map((x) => x.department)},
        yAxis: {type: "value", minInterval: 1},
        series: [{type: "bar", data: d.most_red.map((x) => x.red), itemStyle: {color: "#b02a37"}}]});
    });
  }
  refresh();
  setInterval(refresh, 30000);
})();
