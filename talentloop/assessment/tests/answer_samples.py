"""Answers written for the tests: a strong and a weak answer to real bank questions, in Chinese and English.

Strong answers follow STAR, cover the key points in the candidate's own words and give numbers; weak ones are
vague, short and blame others. Used by test_answers_strong_weak.py and by the answer-scoring benchmark.
"""

from __future__ import annotations

SAMPLES: dict[str, tuple[str, str]] = {
    # --- Chinese ----------------------------------------------------------------------------------------
    "communication-zh-1": (
        "去年第三季度，我负责新客户导入项目，需要每周向部门经理汇报进展。"
        "我的做法是结论先行：第一句话就说“20家客户已上线16家，整体比计划晚两天”。"
        "然后再讲原因，主要是两家客户的接口改动较大，我用具体数字和进度表作为事实依据。"
        "接着我给出对策：增加一名工程师支援，预计一周内追回进度。"
        "经理追问其中一家的风险时，我当场拿出沟通记录补充细节，把问题解释清楚。"
        "最终经理批准了增派人手，项目按新节点完成，之后他也让其他同事参考我的汇报格式。",
        "汇报就是把做了什么说一下，领导问什么我就答什么，一般也没什么问题。",
    ),
    "customer_orientation-zh-1": (
        "去年财务部让我每周导出一份销售明细表，当时这份表有四十多列，整理要花半天。"
        "我没有直接照做，而是主动询问他们拿这份表做什么，并访谈了两位会计，了解期望。"
        "我发现他们的真实诉求其实只是核对回款，表面要求和背后原因并不一样。"
        "于是我和他们一起确定了五个关键字段，调整方案，做成自动报表每天早上推送。"
        "结果财务部每周节省了大约三小时，财务主管专门发邮件表示感谢，客户认可度很高。"
        "这件事让我养成了先问清楚需求再动手的习惯。",
        "客户要什么我就给什么，他们说要表我就做表，其他的不是我的问题。",
    ),
    "teamwork-zh-1": (
        "去年12月月底盘点时，仓库同事人手不够，而我所在的采购组工作已经提前完成。"
        "我想到盘点按时完成是大家的共同目标，关系到整个公司的年终结账。"
        "我首先向主管申请主动帮忙，然后把我们掌握的供应商到货明细整理成表，共享资料给仓库，方便他们核对。"
        "接着我负责两个货架区的清点，和仓库同事分担了大约三百个品类的工作，并每天晚上信息同步进度。"
        "最终盘点比往年提前一天完成，差异率降低到0.3%，是全年最低，仓库主管也在部门会上表扬了我们组的配合。",
        "团队的事大家各做各的就行，我一般做好自己的，别人做不完是他们的问题。",
    ),
    "problem_solving-zh-1": (
        "去年我在财务部工作时，发票经常因为客户抬头信息错误被退回，每月大约二十张。"
        "我负责把这个问题解决掉。我首先统计了三个月的退票记录，准确界定问题的范围，发现八成来自新客户。"
        "然后我追问原因，分析录入流程，找到根本原因：销售录入客户信息时没有必填校验。"
        "接着我和系统管理员一起在录入页面加了税号校验和必填项，并给销售做了一次培训，把做法标准化。"
        "最终每月退票从二十张降到两三张，减少了约85%，之后半年也没有复发。",
        "这种问题经常发生，都怪销售那边太粗心，我也没办法，只能退回去让他们重新弄。",
    ),
    "leadership-zh-1": (
        "去年公司年会由我牵头筹备，组里有四位来自不同部门的同事，当时离年会只有六周。"
        "第一次开会时，我首先明确目标：预算十万元、六周内完成、员工满意度达到90%以上，统一认识。"
        "然后我按特长分配任务：擅长设计的同事负责物料，熟悉供应商的负责场地，明确职责和时间节点。"
        "之后我每周开一次十五分钟的碰头会跟进进度，遇到预算超支时和大家一起协调问题、调整方案。"
        "最终年会如期举办，预算节省了百分之八，满意度调查达到93%，我对结果负责，会后还整理了一份总结。",
        "我一般就是让大家自己看着办，做完就行，出了问题也是他们自己的事。",
    ),
    "results_orientation-zh-1": (
        "前年我刚负责客服工作时，团队首次响应时间平均要四个小时，客户抱怨很多。"
        "我给自己设定了一个量化目标：两个月内把首次响应时间缩短到一小时以内。"
        "我先分析了三百条工单，发现大部分延迟来自常见问题的重复解答，于是聚焦这个关键动作，把它定为最高优先级。"
        "然后我整理了三十条标准回复，设置了工单分类规则，并且每周统计一次响应时间。"
        "结果第七周平均响应时间降到五十分钟，达成率超过100%，客户满意度也从4.1提高到4.5。",
        "我做事一般不定什么目标，尽力就好，结果怎么样也要看领导安排。",
    ),
    # --- English ----------------------------------------------------------------------------------------
    "communication-en-1": (
        "Last quarter I was responsible for onboarding twenty new clients and reported progress to my manager "
        "every Monday. I always led with the conclusion first: fifteen clients were live and the other five "
        "were three days behind. Then I explained why, because two clients needed interface changes, and I "
        "supported it with concrete numbers from our tracker and the timeline. When my manager asked follow-up "
        "questions about the riskiest client, I had the email thread ready and filled in the details "
        "precisely. As a result she approved an extra engineer on the spot, and we finished on the revised "
        "date with all twenty clients live, two weeks later.",
        "I just tell my manager what I did. If he has questions he can ask, it is not a big deal really.",
    ),
    "customer_orientation-en-2": (
        "Last year a key retail customer complained that our delivery was two weeks late and it had hurt "
        "their business. My role was to handle the complaint as their account manager. I first called them, "
        "listened without interrupting and apologised sincerely. Then I asked about the impact, and learned "
        "the delay had cost them about 40 lost orders. I decided to offer a remedy within my authority, a 10% "
        "discount and free express shipping, and escalated for approval of extra compensation the same day. "
        "After delivery I followed up every week, and we found the root cause in our scheduling and made a "
        "process fix. As a result the customer renewed their contract and complaints dropped by 30%.",
        "The delay was not my fault, it was their fault for ordering late. I would tell them to wait.",
    ),
    "teamwork-en-1": (
        "Last December the warehouse team was short of people for the month-end stock count, while my "
        "purchasing team had already finished. I knew that finishing the count on time was a shared objective "
        "for the whole company, because finance needed it to close the year. I first offered help to my manager "
        "and then pitched in: I shared our supplier delivery data with the warehouse so they could reconcile "
        "faster, and I took on tasks for two shelving areas myself, about 300 items. Every evening I shared "
        "information on our progress with the team. As a result the count finished one day earlier than the "
        "year before, with a discrepancy rate of only 0.3%, the lowest of the year.",
        "I usually focus on my own work. If other people cannot finish, that is their problem, not mine.",
    ),
    "problem_solving-en-1": (
        "When I worked in accounts last year, about twenty invoices a month were rejected because of wrong "
        "customer details. My task was to stop it happening. I first described the problem and its scope: I "
        "went through three months of rejections and found that eighty percent involved new customers. Then I "
        "analysed the entry process to find the root cause, and the underlying issue was that sales staff "
        "entered details without any mandatory field checks. I worked with the system admin to add a tax "
        "number check and required fields as a fix, and trained the sales team so the process was standardised "
        "to prevent it coming back. As a result rejections dropped to two or three a month, an 85% reduction.",
        "That kept happening because the sales people were careless. It was their fault, I just sent them back.",
    ),
    "leadership-en-1": (
        "Last year I led the planning of our annual company event with four colleagues from different "
        "departments, and we had only six weeks. At the first meeting I set a clear goal: a budget of 100,000 "
        "yuan, a date, and a satisfaction score above 90%, so we had a shared understanding. Then I delegated "
        "tasks by strengths: our designer took materials, and the colleague who knew suppliers took the venue, "
        "each with clear responsibilities. We had a fifteen-minute check-in every week, and when costs ran over "
        "I resolved the issues by reworking the plan together. As a result we delivered on time, eight percent "
        "under budget, with a 93% satisfaction score, and I was accountable for the final report.",
        "I usually let people do whatever they want. If something goes wrong it is not my problem.",
    ),
    "results_orientation-en-1": (
        "When I took over customer support two years ago, the first response time was four hours on average. "
        "I set a specific target: cut it to under one hour within two months, a metric I could measure every "
        "week. I analysed 300 tickets and found that the biggest driver of delay was answering the same "
        "questions repeatedly, so I made that my first priority and focused on the key actions. I wrote thirty "
        "standard replies and set up ticket categories, then tracked the data every Monday. As a result, by "
        "week seven the average was fifty minutes, and our satisfaction score rose from 4.1 to 4.5, so the "
        "before and after numbers showed a 79% improvement.",
        "I do not really set goals. I just try my best and see what happens in the end.",
    ),
}
