-- “三公”经费 (and 会议费, 培训费, 机关运行经费 where the table prints them): budget and actual
-- by item. The 决算 table prints both figures; a budget document gives the budget.
-- One row per published amount (value_id).
{{ subject_fact('three_public',
                ['m.three_public_item', 'm.funding_source']) }}
