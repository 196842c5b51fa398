-- 政府性基金预算 and 国有资本经营预算 财政拨款支出 tables (决算 07/08 and their budget
-- counterparts): expenditure by 功能科目 for each of the two funds. One row per published
-- amount (value_id).
{{ subject_fact('fund_expenditure_by_function',
                [function_keys(), 'm.row_key', 'm.spending_type',
                 "case when m.template_id in (" ~ templates_in_role('government_fund') ~ ")
                       then 'government_fund' else 'state_capital' end as funding_source"]) }}
