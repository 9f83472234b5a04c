package rules

import (
	"slices"

	"ktgs"
)

// Series name families of rule sets whose effective dates must tile the
// calendar without gaps or overlaps.
const (
	// SeriesParty holds the party regulations (QĐ 30, 22, 296, 21).
	SeriesParty = "PARTY"
	// SeriesAntiCorruption holds the asset thresholds of the Law on
	// Anti-corruption (Luật Phòng, chống tham nhũng), keyed by law.
	SeriesAntiCorruption = "LUAT_PCTN"
)

// valueKind is the shape of a rule value in the data files.
type valueKind int

// The value shapes; each is one JSON member of a value object.
const (
	kindDuration valueKind = iota + 1 // "duration": {"n": 30, "unit": "calendar_days"}
	kindAmount                        // "amount": 300000000
	kindCount                         // "count": 1
	kindRatio                         // "ratio": {"num": 2, "den": 3, "op": "ge"}
	kindFlag                          // "flag": true
	kindForms                         // "forms": ["KHIEN_TRACH"]
	kindOrgTypes                      // "org_types": ["DANG_BO_HUYEN"]
	kindCodes                         // "codes": ["LATE"]
	kindMeasures                      // "measures": {"CACH_CHUC": ["RESTORE_POST"]}
	kindMonthDay                      // "month_day": {"month": 12, "day": 31}
)

// kindNames are the JSON member names of the shapes.
var kindNames = map[valueKind]string{
	kindDuration: "duration", kindAmount: "amount", kindCount: "count", kindRatio: "ratio",
	kindFlag: "flag", kindForms: "forms", kindOrgTypes: "org_types", kindCodes: "codes",
	kindMeasures: "measures", kindMonthDay: "month_day",
}

// keySpec says what a value key holds and whether every rule set of its
// series must define it.
type keySpec struct {
	kind     valueKind
	optional bool
	codes    []string // the allowed codes of a kindCodes or kindMeasures value
}

// Value keys of the PARTY series. The code reads only these keys; Lint
// rejects any other key and any missing required key.
const (
	keyFormsOrg          = "forms.org"
	keyFormsOfficial     = "forms.official_member"
	keyFormsProbationary = "forms.probationary_member"

	keyUpperLevelTypes       = "authority.upper_level_types"
	keyChiBo                 = "authority.chi_bo"
	keyChiBoHigherTask       = "authority.chi_bo.higher_task"
	keyChiUy                 = "authority.chi_uy"
	keyDangUyBoPhan          = "authority.dang_uy_bo_phan"
	keyGrassCommittee        = "authority.grassroots_committee"
	keyGrassRemovalLower     = "authority.grassroots_committee.removal_lower"
	keyGrassExpulsion        = "authority.grassroots_committee.expulsion_if_admitting"
	keyGrassStanding         = "authority.grassroots_standing"
	keyGrassInspection       = "authority.grassroots_inspection"
	keyReadGrassHigherTask   = "authority.reading.grassroots_higher_task"
	keyUpperCommittee        = "authority.upper_committee"
	keyUpperStanding         = "authority.upper_standing"
	keyUpperInspection       = "authority.upper_inspection"
	keyUpperInspLimited      = "authority.upper_inspection.limited"
	keyReadDeeperLower       = "authority.reading.deeper_lower"
	keyReadHigherManaged     = "authority.reading.higher_managed"
	keySeveralCommittees     = "authority.several_committees"
	keyPolitburo             = "authority.politburo_secretariat"
	keyPolitburoCC           = "authority.politburo_secretariat.cc_member"
	keyCentralCommittee      = "authority.central_committee"
	keyCentralInspection     = "authority.central_inspection"
	keyAdvisory              = "authority.advisory"
	keyReportMemberBodies    = "authority.report.member_bodies"
	keyReportHigherLevel     = "authority.report.higher_level"
	keyOrgDirectCommittee    = "authority.org.direct_committee"
	keyOrgDirectStanding     = "authority.org.direct_standing"
	keyOrgInspection         = "authority.org.inspection"
	keyReadOrgInspLevels     = "authority.reading.org_inspection_levels"
	keyOrgDissolution        = "authority.org.dissolution"
	keyReadOrgHigher         = "authority.reading.org_higher"
	keyOrgCentralBodies      = "authority.org.central_bodies"
	keyOrgCentralDissolution = "authority.org.central_dissolution"
	keyOrgLowerBodies        = "authority.org.lower_bodies"

	keyBallotSecret         = "ballot.secret"
	keyBallotMajority       = "ballot.majority"
	keyBallotExpelPropose   = "ballot.expulsion_propose"
	keyBallotExpelDecide    = "ballot.expulsion_decide"
	keyBallotDissolvPropose = "ballot.dissolution_propose"
	keyBallotCumulation     = "ballot.cumulation"
	keyBallotExclusions     = "ballot.denominator_exclusions"
	keyBallotProbationary   = "ballot.probationary_excluded"

	keyLimitReprimand  = "limitation.reprimand"
	keyLimitWarning    = "limitation.warning_removal"
	keyLimitNoneForms  = "limitation.no_limit_forms"
	keyLimitNoneCats   = "limitation.no_limit_categories"
	keyLimitReset      = "limitation.reset_on_new_violation"
	keyLimitContinuing = "limitation.continuing_from_end"

	keyExpiryPeriod   = "expiry.period"
	keyExpiryExcluded = "expiry.excluded_forms"
	keyRemovalBar     = "removal_bar.period"
	keyFreezeActions  = "freeze.actions"

	keyComplaintDeadline   = "complaint.filing_deadline"
	keyComplaintGrounds    = "complaint.not_accepted_grounds"
	keyComplaintFirst      = "complaint.first_resolver"
	keyFinalUBKTTW         = "complaint.final_level.ubkttw"
	keyFinalSecretariat    = "complaint.final_level.secretariat"
	keyFinalCentral        = "complaint.final_level.central_committee"
	keyFinalDissolution    = "complaint.final_level.dissolution"
	keyComplaintLimitLocal = "complaint.resolution_limit.local"
	keyComplaintLimitTW    = "complaint.resolution_limit.central"
	keyDenGrounds          = "denunciation.not_resolved_grounds"
	keyDenAnonymous        = "denunciation.anonymous_information_only"
	keyDenWithdrawal       = "denunciation.withdrawal"
	keyDenConflicts        = "denunciation.handler_conflicts"
	keyDenClockStart       = "denunciation.clock_from_competent_receipt"
	keyDenLimitProvincial  = "denunciation.limit_provincial"
	keyDenLimitCentral     = "denunciation.limit_central"
	keyDenExtensionMax     = "denunciation.extension_max"
	keyDenMaxExtensions    = "denunciation.max_extensions"
	keyDenCongressGrass    = "denunciation.pre_congress_grassroots"
	keyDenCongressUpper    = "denunciation.pre_congress_upper"
	keySuspInitial         = "suspension.member_initial"
	keySuspTotal           = "suspension.member_total"
	keySuspExtensionMax    = "suspension.extension_max"
	keySuspMaxExtensions   = "suspension.max_extensions"
	keySuspOrgMax          = "suspension.org_max"
	keySuspCriminal        = "suspension.criminal_legal_limits"
	keySuspDues            = "suspension.dues_payable"
	keyNumStart            = "numbering.start"
	keyNumDigits           = "numbering.min_digits"
	keyNumPerTerm          = "numbering.per_term"
	keyNumSecret           = "numbering.secret_shares_sequence"
	keyNotifyState         = "notification.state_discipline"
	keyNotifyEnforcement   = "notification.law_enforcement"
	keyWrongfulDeadline    = "wrongful.notice_deadline"
	keyWrongfulRestoration = "wrongful.restoration"
)

// Value keys of R20 (case initiation) besides the cells of the table,
// initiationCell(kind, body) = "initiation.KIND.BODY": one per kind of
// InitiationKinds and body of initiationBodies, each the codes of the
// subjects that body may start that kind on ([] = may not).
const (
	keyInitThematicMembers = "initiation.chi_bo.thematic_members"
	keyInitChiBoExclusions = "initiation.chi_bo.supervision_exclusions"
)

// init adds the initiation table to the PARTY schema: every cell and the
// two chi bộ values are required in every set.
func init() {
	party := seriesKeys[SeriesParty]
	for _, k := range InitiationKinds {
		for _, b := range initiationBodies {
			party[initiationCell(k, b)] = keySpec{kind: kindCodes, codes: initiationScopes}
		}
	}
	party[keyInitThematicMembers] = keySpec{kind: kindCount}
	party[keyInitChiBoExclusions] = keySpec{kind: kindCodes, codes: chiBoExclusions}
}

// Value keys of the LUAT_PCTN series.
const (
	keyAssetSupplementary = "asset.supplementary_threshold"
	keyAssetItem          = "asset.item_threshold"
	keyAssetDeadline      = "asset.supplementary_deadline"
	keyAssetYearEnd       = "asset.reading.year_end"
)

// seriesKeys is the schema of every series: key → shape. It is read-only.
var seriesKeys = map[string]map[string]keySpec{
	SeriesParty: {
		keyFormsOrg: {kind: kindForms}, keyFormsOfficial: {kind: kindForms}, keyFormsProbationary: {kind: kindForms},

		keyUpperLevelTypes: {kind: kindOrgTypes}, keyChiBo: {kind: kindForms}, keyChiBoHigherTask: {kind: kindFlag},
		keyChiUy: {kind: kindForms}, keyDangUyBoPhan: {kind: kindForms}, keyGrassCommittee: {kind: kindForms},
		keyGrassRemovalLower: {kind: kindFlag}, keyGrassExpulsion: {kind: kindFlag},
		keyGrassStanding: {kind: kindForms}, keyGrassInspection: {kind: kindForms},
		keyReadGrassHigherTask: {kind: kindFlag}, keyUpperCommittee: {kind: kindForms},
		keyUpperStanding: {kind: kindForms}, keyUpperInspection: {kind: kindForms},
		keyUpperInspLimited: {kind: kindForms}, keyReadDeeperLower: {kind: kindFlag},
		keyReadHigherManaged: {kind: kindFlag}, keySeveralCommittees: {kind: kindFlag},
		keyPolitburo: {kind: kindForms}, keyPolitburoCC: {kind: kindForms}, keyCentralCommittee: {kind: kindForms},
		keyCentralInspection: {kind: kindForms}, keyAdvisory: {kind: kindForms},
		keyReportMemberBodies: {kind: kindFlag}, keyReportHigherLevel: {kind: kindFlag},
		keyOrgDirectCommittee: {kind: kindForms}, keyOrgDirectStanding: {kind: kindForms},
		keyOrgInspection: {kind: kindForms}, keyReadOrgInspLevels: {kind: kindFlag},
		keyOrgDissolution: {kind: kindFlag}, keyReadOrgHigher: {kind: kindFlag},
		keyOrgCentralBodies: {kind: kindForms}, keyOrgCentralDissolution: {kind: kindFlag},
		keyOrgLowerBodies: {kind: kindForms},

		keyBallotSecret: {kind: kindFlag}, keyBallotMajority: {kind: kindRatio},
		keyBallotExpelPropose: {kind: kindRatio}, keyBallotExpelDecide: {kind: kindRatio},
		keyBallotDissolvPropose: {kind: kindRatio}, keyBallotCumulation: {kind: kindFlag},
		keyBallotExclusions: {kind: kindFlag}, keyBallotProbationary: {kind: kindFlag},

		keyLimitReprimand: {kind: kindDuration}, keyLimitWarning: {kind: kindDuration},
		keyLimitNoneForms: {kind: kindForms}, keyLimitNoneCats: {kind: kindCodes, codes: Categories},
		keyLimitReset: {kind: kindFlag}, keyLimitContinuing: {kind: kindFlag},

		keyExpiryPeriod: {kind: kindDuration, optional: true}, keyExpiryExcluded: {kind: kindForms, optional: true},
		keyRemovalBar:    {kind: kindDuration},
		keyFreezeActions: {kind: kindCodes, codes: freezeActions, optional: true},

		keyComplaintDeadline: {kind: kindDuration},
		keyComplaintGrounds:  {kind: kindCodes, codes: complaintGrounds},
		keyComplaintFirst:    {kind: kindFlag},
		keyFinalUBKTTW:       {kind: kindForms}, keyFinalSecretariat: {kind: kindForms},
		keyFinalCentral: {kind: kindFlag}, keyFinalDissolution: {kind: kindFlag},
		keyComplaintLimitLocal: {kind: kindDuration, optional: true}, keyComplaintLimitTW: {kind: kindDuration, optional: true},

		keyDenGrounds:   {kind: kindCodes, codes: denunciationGrounds},
		keyDenAnonymous: {kind: kindFlag}, keyDenWithdrawal: {kind: kindFlag}, keyDenConflicts: {kind: kindFlag},
		keyDenClockStart: {kind: kindFlag}, keyDenLimitProvincial: {kind: kindDuration},
		keyDenLimitCentral: {kind: kindDuration}, keyDenExtensionMax: {kind: kindDuration},
		keyDenMaxExtensions: {kind: kindCount}, keyDenCongressGrass: {kind: kindDuration},
		keyDenCongressUpper: {kind: kindDuration},

		keySuspInitial: {kind: kindDuration}, keySuspTotal: {kind: kindDuration},
		keySuspExtensionMax:  {kind: kindDuration, optional: true},
		keySuspMaxExtensions: {kind: kindCount, optional: true},
		keySuspOrgMax:        {kind: kindDuration}, keySuspCriminal: {kind: kindFlag}, keySuspDues: {kind: kindFlag},

		keyNumStart: {kind: kindCount}, keyNumDigits: {kind: kindCount}, keyNumPerTerm: {kind: kindFlag},
		keyNumSecret: {kind: kindFlag},

		keyNotifyState:       {kind: kindDuration, optional: true},
		keyNotifyEnforcement: {kind: kindDuration},

		keyWrongfulDeadline:    {kind: kindDuration, optional: true},
		keyWrongfulRestoration: {kind: kindMeasures, codes: restorationMeasures, optional: true},
	},
	SeriesAntiCorruption: {
		keyAssetSupplementary: {kind: kindAmount},
		keyAssetItem:          {kind: kindAmount},
		keyAssetDeadline:      {kind: kindMonthDay},
		keyAssetYearEnd:       {kind: kindFlag},
	},
}

// validOrgType reports whether s names a known organisation type.
func validOrgType(s string) bool { return ktgs.OrgType(s).Valid() }

// validCode reports whether s is one of codes.
func validCode(codes []string, s string) bool { return slices.Contains(codes, s) }
