// The supervision big screen (a 1920×1080 wall): the day's figures and two charts, refreshed
// every 30 s from the URL in the page's data-source attribute. A chart with nothing to show
// says so, on the wall and to a screen reader.
(() => {
  const root = document.querySelector("[data-screen-source]");
  if (!root) return;
  const text = {color: "#e9eef6"};
  const lightsBox = document.getElementById("lights");
  const redsBox = document.getElementById("reds");
  const lights = echarts.init(lightsBox);
  const reds = echarts.init(redsBox);
  const empty = (message) => ({
    series: [], xAxis: [], yAxis: [],
    graphic: {type: "text", left: "center", top: "middle",
              style: {text: message, fill: "#c9d3e3", fontSize: 28}},
  });
  function refresh() {
    fetch(root.dataset.screenSource, {credentials: "same-origin"}).then((r) => r.json()).then((d) => {
      for (const k of ["received_today", "accepted_today", "decided_today"]) {
        document.getElementById(k).textContent = d[k];
      }
      document.getElementById("on_time_rate").textContent =
        d.on_time_rate === null ? "暂无数据" : d.on_time_rate + "%";
      document.getElementById("updated_at").textContent = new Date().toLocaleTimeString("zh-CN");
      const open = d.open_by_light;
      if (open.green + open.yellow + open.red === 0) {
        lights.setOption(empty("暂无在办件"), true);
        lightsBox.setAttribute("aria-label", "在办件红黄绿灯分布：暂无在办件");
      } else {
        lights.setOption({animation: false, textStyle: text, legend: {bottom: 0, textStyle: {...text, fontSize: 20}},
          series: [{type: "pie", radius: "62%", label: {color: "#fff", fontSize: 20}, data: [
            {name: "正常", value: open.green, itemStyle: {color: "#2e9d4f"}},
            {name: "黄牌", value: open.yellow, itemStyle: {color: "#f0ad00"}},
            {name: "红牌", value: open.red, itemStyle: {color: "#e5484d"}}]}]}, true);
        lightsBox.setAttribute("aria-label",
          `在办件红黄绿灯分布：正常 ${open.green} 件，黄牌 ${open.yellow} 件，红牌 ${open.red} 件`);
      }
      if (!d.most_red.length) {
        reds.setOption(empty("暂无红牌"), true);
        redsBox.setAttribute("aria-label", "红牌最多的部门：暂无红牌");
      } else {
        reds.setOption({animation: false, textStyle: text,
          xAxis: {type: "category", data: d.most_red.map((x) => x.department),
                  axisLabel: {color: "#e9eef6", fontSize: 18, interval: 0}},
          yAxis: {type: "value", minInterval: 1, axisLabel: {color: "#e9eef6", fontSize: 18}},
          series: [{type: "bar", data: d.most_red.map((x) => x.red), itemStyle: {color: "#e5484d"},
                    label: {show: true, position: "top", color: "#fff", fontSize: 20}}]}, true);
        redsBox.setAttribute("aria-label", "红牌最多的部门：" +
          d.most_red.map((x) => `${x.department} ${x.red} 件`).join("，"));
      }
    });
  }
  refresh();
  setInterval(refresh, 30000);
  window.addEventListener("resize", () => { lights.resize(); reds.resize(); });
})();
