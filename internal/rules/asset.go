package rules

import (
	"strconv"
	"time"

	"ktgs/internal/civil"
	"ktgs/internal/vn"
)

// AssetRequest is the request of R16 (asset-threshold): does a change of
// assets or income need a supplementary declaration, and which items must
// be declared? The thresholds are law values (series LUAT_PCTN).
type AssetRequest struct {
	// ChangeDate is the day of the change; its year decides the deadline.
	ChangeDate string `json:"change_date"`
	// AssetChangeVND is the net change in đồng (negative for a decrease).
	AssetChangeVND *int64        `json:"asset_change_vnd"`
	Items          []AssetItemIn `json:"items,omitempty"`
}

// AssetItemIn is one movable item (precious metals, gems, cash, valuable
// papers, other assets) with its value in đồng.
type AssetItemIn struct {
	Name     string `json:"name"`
	ValueVND int64  `json:"value_vnd"`
}

// AssetItem says whether one item must be declared.
type AssetItem struct {
	Name        string `json:"name"`
	ValueVND    int64  `json:"value_vnd"`
	MustDeclare bool   `json:"must_declare"`
}

// AssetResult is the result of R16.
type AssetResult struct {
	// ThresholdDate is the date whose law applies: 31/12 of the year of
	// the change (our reading of the 2026 transition), or the change date.
	ThresholdDate          civil.Date  `json:"threshold_date"`
	SupplementaryThreshold int64       `json:"supplementary_threshold_vnd"`
	ItemThreshold          int64       `json:"item_threshold_vnd"`
	Deadline               civil.Date  `json:"deadline"`
	Items                  []AssetItem `json:"items"`
}

// evalAsset decides R16.
func evalAsset(r *Registry, data []byte) (*Decision, error) {
	req, err := decodeRequest[AssetRequest]("R16", data)
	if err != nil {
		return nil, err
	}
	v := &validator{rule: "R16"}
	change := v.date("change_date", req.ChangeDate, true)
	if req.AssetChangeVND == nil {
		v.add("asset_change_vnd", "rules.err.required")
	} else if d := *req.AssetChangeVND; d > maxMoney || d < -maxMoney {
		v.add("asset_change_vnd", "rules.err.money_range", vn.Int(maxMoney, "vi"))
	}
	if v.list("items", len(req.Items)) {
		for i, it := range req.Items {
			f := "items[" + strconv.Itoa(i) + "]"
			if vn.Clean(it.Name) == "" {
				v.add(f+".name", "rules.err.required")
			}
			if it.ValueVND < 0 || it.ValueVND > maxMoney {
				v.add(f+".value_vnd", "rules.err.money_range", vn.Int(maxMoney, "vi"))
			}
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	yearEnd := civil.New(change.Year(), 12, 31)
	b, err := r.newBuilder("R16", SeriesAntiCorruption, yearEnd, "change_date")
	if err != nil {
		return nil, err
	}
	at := yearEnd
	if !b.flag(keyAssetYearEnd) {
		if b, err = r.newBuilder("R16", SeriesAntiCorruption, change, "change_date"); err != nil {
			return nil, err
		}
		b.value(keyAssetYearEnd)
		at = change
	}
	b.reason("r16.threshold_date", at, change.Year())
	delta := *req.AssetChangeVND
	res := &AssetResult{ThresholdDate: at, SupplementaryThreshold: b.amount(keyAssetSupplementary),
		ItemThreshold: b.amount(keyAssetItem), Items: []AssetItem{}}
	if v := b.value(keyAssetDeadline); v != nil && v.MonthDay != nil {
		res.Deadline = civil.New(change.Year(), time.Month(v.MonthDay.Month), v.MonthDay.Day)
	}
	for _, it := range req.Items {
		item := AssetItem{Name: vn.Clean(truncate(it.Name, maxTextLen)), ValueVND: it.ValueVND,
			MustDeclare: it.ValueVND >= res.ItemThreshold}
		res.Items = append(res.Items, item)
		if item.MustDeclare {
			b.reason("r16.item_declare", item.Name, money(item.ValueVND), money(res.ItemThreshold))
		} else {
			b.reason("r16.item_below", item.Name, money(item.ValueVND), money(res.ItemThreshold))
		}
	}
	abs := delta
	if abs < 0 {
		abs = -abs
	}
	if abs >= res.SupplementaryThreshold {
		b.reason("r16.needed", money(abs), money(res.SupplementaryThreshold), res.Deadline)
		return b.finish("NEEDED", res)
	}
	b.reason("r16.not_needed", money(abs), money(res.SupplementaryThreshold))
	return b.finish("NOT_NEEDED", res)
}
