-- 一般公共预算财政拨款基本支出（决算）表, 基本支出表, 一般公共预算支出表 by economic class
-- and 财政拨款基本支出表: expenditure by 经济科目 (部门 scheme, with the 政府 code where
-- printed) and type (人员经费, 公用经费). One row per published amount (value_id).
{{ subject_fact('expenditure_by_economic_class',
                ['m.economic_code', 'm.economic_level', 'm.economic_parent_code', 'm.gov_economic_code',
                 'm.line_item as subject_name', 'm.row_key', 'm.spending_type', 'm.funding_source']) }}
