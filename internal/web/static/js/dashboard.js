// KTGS dashboard: draws the charts of /dashboard with Apache ECharts
// (static/vendor/echarts) from the page's JSON block (#dash-data). No
// inline script: the CSP allows only the server's own files. The tables
// beside the charts hold the same numbers and are the page without
// JavaScript; a click on a bar or point follows the same link as the
// table's number.
(function () {
  'use strict';

  var palette = ['#b3121b', '#0b4f9c', '#e0a800', '#2f855a', '#6b46c1', '#c05621'];
  var charts = [];

  function values(series) {
    return series.cells.map(function (c) { return c.na ? null : c.count; });
  }

  // legendRows estimates the lines the legend wraps onto at width (the
  // grid starts below it); no legend for a single series.
  function legendRows(c, width) {
    if (c.series.length < 2) { return 0; }
    var w = 0;
    c.series.forEach(function (s) { w += s.name.length * 7 + 45; });
    return Math.max(1, Math.ceil(w / Math.max(width - 20, 200)));
  }

  function option(c, lang, width) {
    var base = {
      color: palette,
      animation: false,
      textStyle: { fontFamily: '"Noto Sans", "Segoe UI", Roboto, Arial, sans-serif' },
      tooltip: { trigger: 'axis', confine: true },
      legend: { top: 0, type: 'plain' },
      grid: { left: 8, right: 32, top: legendRows(c, width) * 24 + 16, bottom: 8, containLabel: true }
    };
    var nf = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN');
    var fmt = function (v) { return v == null ? '—' : nf.format(v); };
    switch (c.kind) {
      case 'line':
        base.xAxis = { type: 'category', data: c.categories, boundaryGap: false };
        base.yAxis = { type: 'value', minInterval: 1, axisLabel: { formatter: fmt } };
        base.series = c.series.map(function (s) {
          return { type: 'line', name: s.name, data: values(s), symbolSize: 7, connectNulls: false };
        });
        break;
      case 'bar':
        base.xAxis = { type: 'category', data: c.categories, axisLabel: { interval: 0, width: 110, overflow: 'break', lineHeight: 14 } };
        base.yAxis = { type: 'value', minInterval: 1, axisLabel: { formatter: fmt } };
        base.series = c.series.map(function (s) {
          return { type: 'bar', name: s.name, data: values(s), label: { show: true, position: 'top', formatter: function (p) { return fmt(p.value); } } };
        });
        if (c.series.length === 1) { base.legend.show = false; }
        break;
      case 'hbar':
        // Units top down in the table's order.
        base.yAxis = { type: 'category', data: c.categories.slice().reverse(), axisLabel: { width: 220, overflow: 'truncate' } };
        if (c.series.length === 1) { base.legend.show = false; }
        base.xAxis = { type: 'value', minInterval: 1, axisLabel: { formatter: fmt } };
        base.series = c.series.map(function (s) {
          return { type: 'bar', name: s.name, data: values(s).reverse(), label: { show: true, position: 'right', formatter: function (p) { return fmt(p.value); } } };
        });
        break;
    }
    return base;
  }

  // linkOf is the link behind the clicked point: the same as the table's.
  function linkOf(c, p) {
    var s = c.series[p.seriesIndex];
    if (!s) { return ''; }
    var i = p.dataIndex;
    if (c.kind === 'hbar') { i = c.categories.length - 1 - i; }
    var cell = s.cells[i];
    return cell && !cell.na ? cell.link : '';
  }

  function init() {
    var block = document.getElementById('dash-data');
    if (!block || !window.echarts) { return; }
    var data = JSON.parse(block.textContent);
    var locale = data.lang === 'en' ? 'EN' : 'VI';
    data.charts.forEach(function (c) {
      var node = document.getElementById('chart-' + c.id);
      if (!node) { return; }
      if (c.kind === 'hbar') {
        // One bar per unit: the height follows their number (CSSOM, which
        // the CSP allows, unlike a style attribute).
        node.style.height = Math.max(200, 26 * c.categories.length * c.series.length + 60 + 24 * legendRows(c, node.clientWidth)) + 'px';
      }
      var chart = echarts.init(node, null, { renderer: 'canvas', locale: locale });
      chart.setOption(option(c, data.lang, node.clientWidth));
      chart.on('click', function (p) {
        var href = linkOf(c, p);
        if (href) { window.location.assign(href); }
      });
      node.classList.add('chart-ready');
      charts.push(chart);
    });
    var resize = function () { charts.forEach(function (ch) { ch.resize(); }); };
    window.addEventListener('resize', resize);
    // Printing: draw at the printed width (A4 portrait less the margins),
    // then back.
    window.addEventListener('beforeprint', function () {
      charts.forEach(function (ch) { ch.resize({ width: 680 }); });
    });
    window.addEventListener('afterprint', resize);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
