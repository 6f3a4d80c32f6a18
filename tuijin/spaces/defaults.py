"""The default policies (PRODUCT.md §3, reference/domain-practice.md §5): seeded by a data migration, editable after.

Apartments: categories A/B/C/D and young talents may apply; A–D are housed without scoring (应保尽保), first, by
application time; young talents are ranked by score, ties by application time; terms of at most 3 years renewed
yearly; rent free for A/B (provincial level and above), 80 % of the market rent for C/D (who also draw living
subsidies), 50 % for young talents; 30 days' notice to leave.
Offices: technology-based SMEs, high-tech enterprises and start-up teams; rent subsidy 100 % / 50 % / 50 % in lease
years 1–3 on at most 1,000 m²; first come, first served."""

from __future__ import annotations

DEFAULT_POLICIES: list[dict] = [
    {
        "kind": "apartment",
        "name": "人才公寓配租政策",
        "eligible_categories": ["A", "B", "C", "D", "young"],
        "required_documents": [
            "身份证（正反面）",
            "人才认定证书或最高学历学位证书",
            "劳动合同（剩余期限一年以上）",
            "本市社会保险缴纳证明",
        ],  # fmt: skip
        "term_years": 3,
        "rent_percent": {"A": 0, "B": 0, "C": 80, "D": 80, "young": 50},
        "subsidy_by_year": [],
        "area_cap": None,
        "unscored_categories": ["A", "B", "C", "D"],
        "score_items": [
            {"key": "doctorate", "label": "博士研究生学历", "points": 30},
            {"key": "master", "label": "硕士研究生学历", "points": 20},
            {"key": "bachelor", "label": "全日制本科学历", "points": 10},
            {"key": "no_home", "label": "本人及配偶在郑州无自有住房", "points": 20},
            {"key": "key_industry", "label": "就职于中原科技城重点产业企业", "points": 15},
            {"key": "award", "label": "获市级以上荣誉或奖励", "points": 10},
        ],
        "first_review_days": 5,
        "second_review_days": 5,
        "publicity_days": 5,
        "notice_days": 30,
        "reminder_days": 60,
    },
    {
        "kind": "office",
        "name": "拎包办公入驻政策",
        "eligible_categories": ["tech_sme", "high_tech", "startup"],
        "required_documents": [
            "营业执照",
            "科技型中小企业或高新技术企业证书（初创团队提供项目计划书）",
            "法定代表人身份证",
        ],  # fmt: skip
        "term_years": 3,
        "rent_percent": {},
        "subsidy_by_year": [100, 50, 50],
        "area_cap": "1000.00",
        "unscored_categories": ["tech_sme", "high_tech", "startup"],
        "score_items": [],
        "first_review_days": 5,
        "second_review_days": 5,
        "publicity_days": 5,
        "notice_days": 30,
        "reminder_days": 60,
    },
]


def seed_policies(policy_model) -> None:
    """Create the default policies that do not exist yet (by kind); existing ones are left as configured."""
    for values in DEFAULT_POLICIES:
        values = dict(values)
        policy_model.objects.get_or_create(kind=values.pop("kind"), defaults=values)
