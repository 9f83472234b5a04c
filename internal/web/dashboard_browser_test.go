package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ktgs/internal/browsertest"
	"ktgs/internal/testdb"
)

// TestDashboardBrowser opens the dashboard in headless Chromium as the
// chair of Ninh Bình: every chart is drawn by the vendored ECharts from the
// page's JSON block (an instance on each chart element, a canvas with
// pixels on it, Vietnamese labels); a number of an accessible table leads
// to its drill-down list (/stats/drill), whose records number exactly
// that; the report page (/stats) then downloads its XLSX (/stats.xlsx
// with the same query), fetched in the page: a spreadsheet, a ZIP file.
func TestDashboardBrowser(t *testing.T) {
	b := browsertest.New(t, 180*time.Second)
	db := testdb.OpenSQLite(t)
	ts, _ := dashServer(t, db)
	signIn(b, ts.URL, "chunhiem")

	// 1. The dashboard, through the nav link.
	b.Do("open the dashboard from the nav", chromedp.Click(chromedp.ID("nav-dashboard")))
	b.Until("the dashboard", `location.pathname === '/dashboard' && !!document.querySelector('#dash-data')`, 20*time.Second)
	b.Until("every chart drawn", `(() => {
		const els = [...document.querySelectorAll('.chart')];
		if (els.length < 6 || !window.echarts) return false;
		return els.every(el => {
			const inst = echarts.getInstanceByDom(el);
			const c = el.querySelector('canvas');
			if (!inst || !c || !c.width || !c.height) return false;
			const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			let painted = 0;
			for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) painted++;
			return painted > 500;
		});
	})()`, 20*time.Second)
	charts := browsertest.Eval[int](b, "count the charts", `document.querySelectorAll('.chart').length`)
	tables := browsertest.Eval[int](b, "count the tables", `document.querySelectorAll('table.dash-table').length`)
	if charts != tables || charts != 6 {
		t.Errorf("%d charts, %d tables; want 6 of each", charts, tables)
	}
	// The charts carry the tables' numbers and Vietnamese labels.
	if got := browsertest.Eval[string](b, "forms chart labels", `echarts.getInstanceByDom(document.getElementById('chart-forms')).getOption().xAxis[0].data.join('|')`); got != "Khiển trách|Cảnh cáo|Cách chức|Khai trừ|Giải tán" {
		t.Errorf("forms chart categories %q", got)
	}
	if !browsertest.Eval[bool](b, "charts match tables", `(() => {
		const data = JSON.parse(document.getElementById('dash-data').textContent);
		return data.charts.every(c => {
			const opt = echarts.getInstanceByDom(document.getElementById('chart-' + c.id)).getOption();
			const rows = [...document.querySelectorAll('#table-' + c.id + ' tbody tr')];
			return c.series.every((s, si) => s.cells.every((cell, ci) => {
				let v = opt.series[si].data[c.kind === 'hbar' ? c.categories.length - 1 - ci : ci];
				if (v && typeof v === 'object') v = v.value;
				const td = rows[ci].querySelectorAll('td')[si];
				const a = td.querySelector('a');
				return cell.na ? (v == null && !a) : (v === cell.count && a && Number(a.dataset.count) === cell.count);
			}));
		});
	})()`) {
		t.Error("a chart's values differ from its table")
	}

	// 2. A number of a table: its drill-down list has exactly that many
	// records (following the pages of 50).
	target := browsertest.Eval[string](b, "pick a number", `(() => {
		const links = [...document.querySelectorAll('table.dash-table a[data-cell]')].filter(a => Number(a.dataset.count) > 0);
		// The largest number up to 120: a list of several pages.
		links.sort((x, y) => Number(y.dataset.count) - Number(x.dataset.count));
		const a = links.find(a => Number(a.dataset.count) <= 120) || links[links.length - 1];
		if (!a) return '';
		a.id = 'drill-target';
		return a.dataset.count + ' ' + a.dataset.cell;
	})()`)
	if target == "" {
		t.Fatal("no non-zero number on the dashboard")
	}
	countText, cell, _ := strings.Cut(target, " ")
	want, _ := strconv.Atoi(countText)
	b.Do("click the number "+target, chromedp.Click(chromedp.ID("drill-target")))
	b.Until("the drill-down list", `location.pathname === '/stats/drill' && !!document.querySelector('#drill-items')`, 20*time.Second)
	if got := browsertest.Eval[string](b, "the cell", `new URLSearchParams(location.search).get('cell')`); got != cell {
		t.Errorf("drill-down of cell %q, want %q", got, cell)
	}
	if got := browsertest.Eval[string](b, "the count shown", `document.getElementById('drill-count').textContent.replace(/\D/g, '')`); got != countText {
		t.Errorf("the drill-down shows the count %q, the dashboard %q", got, countText)
	}
	n := 0
	for page := 1; ; page++ {
		n += browsertest.Eval[int](b, "count the records", `document.querySelectorAll('#drill-items tbody tr[data-item]').length`)
		if !browsertest.Eval[bool](b, "next page?", `!!document.getElementById('drill-next')`) || page > 50 {
			break
		}
		// Mark this page so the wait below sees the next one, not this one
		// (from page 2 on, the URL already has a cursor).
		browsertest.Eval[bool](b, "mark the page", `(document.getElementById('drill-items').dataset.stale = '1') === '1'`)
		b.Do("next page", chromedp.Click(chromedp.ID("drill-next")))
		b.Until("the next page", `(() => { const e = document.getElementById('drill-items'); return !!e && e.dataset.stale !== '1' &&
			new URLSearchParams(location.search).has('cursor') && document.readyState === 'complete'; })()`, 20*time.Second)
	}
	if n != want {
		t.Errorf("the number %d (%s) lists %d records", want, cell, n)
	}

	// 3. The report page of the same query, and its XLSX.
	b.Do("back to the dashboard", chromedp.Navigate(ts.URL+"/dashboard"))
	b.Until("the dashboard again", `!!document.getElementById('dash-report')`, 20*time.Second)
	xlsx := browsertest.Eval[string](b, "the XLSX link", `document.getElementById('dash-xlsx').getAttribute('href')`)
	b.Do("open the report page", chromedp.Click(chromedp.ID("dash-report")))
	b.Until("the report page", `location.pathname === '/stats' && document.readyState === 'complete'`, 20*time.Second)
	if !strings.HasPrefix(xlsx, "/stats.xlsx?") {
		t.Fatalf("XLSX link %q", xlsx)
	}
	// The report page's query is the dashboard's: the same XLSX.
	if q := browsertest.Eval[string](b, "the report's query", `location.search.slice(1)`); "/stats.xlsx?"+q != xlsx {
		t.Errorf("report query %q, XLSX link %q", q, xlsx)
	}
	got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`fetch(`+browsertest.JSString(xlsx)+`).then(async r => {
		const buf = new Uint8Array(await r.arrayBuffer());
		return r.status + ' ' + r.headers.get('Content-Type') + ' ' + String.fromCharCode(buf[0], buf[1]) + ' ' + buf.length;
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the XLSX: %v", err)
	}
	parts := strings.Fields(got)
	if len(parts) != 4 || parts[0] != "200" || !strings.Contains(parts[1], "spreadsheetml") || parts[2] != "PK" {
		t.Errorf("the XLSX download: %q (want 200, a spreadsheet content type, a ZIP file)", got)
	}
	t.Logf("drill-down %s: %d records; XLSX %s", cell, n, got)
}
