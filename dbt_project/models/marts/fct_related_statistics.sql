-- 政府采购, 国有资产占有使用 (车辆), 机关运行经费 and the other statistics printed beside
-- the budget tables (决算 公开10表, 政府采购预算表, 机关运行经费预算表). Amounts in 元; counts
-- (辆, 个) keep their printed value with amount null. One row per published value (value_id).
{{ subject_fact('related_statistics',
                ['m.table_section', 'm.line_item', 'm.row_key', 'm.function_code', 'm.economic_code',
                 'm.funding_source', 'm.value_kind', 'm.published_value'],
                value_kinds=['amount', 'count', 'percent']) }}
