"""The data the sample resumes are made from: one profile per demo job (its skills, split into what the job
requires, prefers and what a weak fit brings instead; duties; majors; certificates), and the employers, schools,
cities and names a resume draws on."""

from __future__ import annotations

from dataclasses import dataclass

EMAIL_DOMAINS = ("example.com", "example.cn", "example.net")  # reserved: no real mailbox gets demo mail


@dataclass(frozen=True)
class _Duty:
    zh: str
    en: str
    skills: frozenset[str] = frozenset()


def _d(zh: str, en: str, *skills: str) -> _Duty:
    return _Duty(zh, en, frozenset(skills))


@dataclass(frozen=True)
class _Profile:
    job: str  # the demo job's title in demo_company.json
    slug: str
    titles: tuple[tuple[str, str], ...]  # (zh, en) job titles the candidate held, most senior first
    skills: tuple[tuple[str, str, str], ...]  # (canonical, zh, en); the job's required skills first
    required: int  # how many of `skills` the job's requirements name (they come first)
    preferred: int  # how many after those the job's description names (screening's preferred skills)
    base: int  # how many required skills even a weak fit has
    off_target: tuple[tuple[str, str, str], ...]  # what a weak fit brings instead
    duties: tuple[_Duty, ...]
    majors: tuple[tuple[str, str], ...]
    certificates: tuple[tuple[str, str], ...]
    english: float  # share of resumes written in English
    degrees: tuple[str, ...] = ("bachelor", "bachelor", "bachelor", "master")
    junior: bool = False


_TECH_EMPLOYERS = (("上海汇智软件有限公司", "Shanghai Huizhi Software Co., Ltd."),
                   ("杭州云栖网络科技有限公司", "Hangzhou Yunqi Network Technology Co., Ltd."),
                   ("南京星联信息技术有限公司", "Nanjing Xinglian Information Technology Co., Ltd."),
                   ("苏州智造云科技有限公司", "Suzhou Zhizao Cloud Technology Co., Ltd."),
                   ("北京数策科技有限公司", "Beijing Shuce Technology Co., Ltd."))
_TRADE_EMPLOYERS = (("宁波恒达机械有限公司", "Ningbo Hengda Machinery Co., Ltd."),
                    ("无锡华盛电子有限公司", "Wuxi Huasheng Electronics Co., Ltd."),
                    ("上海美达贸易有限公司", "Shanghai Meida Trading Co., Ltd."),
                    ("常州精工自动化设备有限公司", "Changzhou Jinggong Automation Co., Ltd."))
_SCHOOLS = (("复旦大学", "Fudan University"), ("浙江大学", "Zhejiang University"), ("南京大学", "Nanjing University"),
            ("同济大学", "Tongji University"), ("上海财经大学", "Shanghai University of Finance and Economics"),
            ("华东师范大学", "East China Normal University"), ("苏州大学", "Soochow University"),
            ("武汉大学", "Wuhan University"), ("四川大学", "Sichuan University"), ("上海大学", "Shanghai University"))
_COLLEGES = (("上海电子信息职业技术学院", "Shanghai Technical Institute of Electronics & Information"),
             ("杭州职业技术学院", "Hangzhou Vocational & Technical College"))
_CITIES = (("上海", "Shanghai"), ("杭州", "Hangzhou"), ("苏州", "Suzhou"), ("南京", "Nanjing"), ("无锡", "Wuxi"),
           ("宁波", "Ningbo"), ("北京", "Beijing"), ("深圳", "Shenzhen"), ("成都", "Chengdu"), ("武汉", "Wuhan"))
_SURNAMES = {"王": "Wang", "李": "Li", "张": "Zhang", "刘": "Liu", "陈": "Chen", "杨": "Yang", "黄": "Huang",
             "赵": "Zhao", "吴": "Wu", "周": "Zhou", "徐": "Xu", "孙": "Sun", "马": "Ma", "朱": "Zhu", "胡": "Hu",
             "郭": "Guo", "何": "He", "林": "Lin", "高": "Gao", "罗": "Luo", "郑": "Zheng", "梁": "Liang",
             "谢": "Xie", "宋": "Song", "唐": "Tang", "许": "Xu", "韩": "Han", "邓": "Deng", "冯": "Feng",
             "曹": "Cao", "彭": "Peng", "曾": "Zeng", "田": "Tian", "董": "Dong", "潘": "Pan", "蒋": "Jiang",
             "杜": "Du", "叶": "Ye", "程": "Cheng", "魏": "Wei", "苏": "Su", "丁": "Ding", "沈": "Shen", "陆": "Lu"}
_DEGREES = {"associate": ("大专", "Associate degree"), "bachelor": ("本科", "Bachelor"),
            "master": ("硕士", "Master")}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

PROFILES: tuple[_Profile, ...] = (
    _Profile(
        job="销售经理", slug="sales-manager",
        titles=(("区域销售经理", "Regional Sales Manager"), ("大客户经理", "Key Account Manager"),
                ("销售代表", "Sales Representative")),
        skills=(("Sales", "B2B销售", "B2B sales"), ("Negotiation", "商务谈判", "negotiation"),
                ("Leadership", "团队管理", "team management"), ("Marketing", "市场推广", "marketing"),
                ("ERP", "ERP系统", "ERP"), ("Production Planning", "生产管理", "production planning"),
                ("Key Account Management", "大客户销售", "key account management"), ("CRM", "CRM系统", "CRM"),
                ("Salesforce", "Salesforce", "Salesforce"), ("PowerPoint", "PPT", "PowerPoint")),
        required=4, preferred=2, base=2,
        off_target=(("Telesales", "电话销售", "telesales"), ("Excel", "Excel", "Excel")),
        duties=(_d("负责华东区域制造业客户开拓，年度新签合同额1200万元。",
                   "Opened manufacturing accounts in East China; CNY 12M of new contracts a year."),
                _d("带领6人销售团队，负责团队管理、业绩辅导与新人带教。",
                   "Led a team of 6 reps: team management, coaching and onboarding of new hires.", "Leadership"),
                _d("主导年费50万元以上项目的商务谈判和合同签订。",
                   "Led negotiation and contracting for deals above CNY 500k a year.", "Negotiation"),
                _d("使用Salesforce管理销售漏斗，季度预测准确率90%。",
                   "Ran the pipeline in Salesforce with 90% quarterly forecast accuracy.", "Salesforce"),
                _d("策划行业展会与线上研讨会等市场推广活动，获取有效线索300余条。",
                   "Planned trade shows and webinars for marketing; 300+ qualified leads.", "Marketing"),
                _d("面向中小制造企业销售ERP系统，老客户续费率85%。",
                   "Sold ERP subscriptions to small manufacturers with an 85% renewal rate.", "ERP"),
                _d("熟悉工厂的生产管理与进销存流程，能与厂长深入沟通。",
                   "Knows factory production planning and inventory processes; talks shop with plant managers.",
                   "Production Planning")),
        majors=(("市场营销", "Marketing"), ("工商管理", "Business Administration"),
                ("机械工程", "Mechanical Engineering")),
        certificates=(("销售管理师（三级）", "Certified Sales Manager (level 3)"),
                      ("C1驾驶证", "Driving licence (C1)")),
        english=0.2,
    ),
    _Profile(
        job="高级后端工程师", slug="senior-backend-engineer",
        titles=(("高级后端工程师", "Senior Backend Engineer"), ("后端开发工程师", "Backend Engineer"),
                ("软件工程师", "Software Engineer")),
        skills=(("Python", "Python", "Python"), ("SQL", "SQL调优", "SQL"), ("Django", "Django", "Django"),
                ("PostgreSQL", "PostgreSQL", "PostgreSQL"), ("Redis", "Redis", "Redis"),
                ("MySQL", "MySQL", "MySQL"), ("Flask", "Flask", "Flask"), ("Docker", "Docker", "Docker"),
                ("Kubernetes", "K8s", "Kubernetes"), ("Kafka", "Kafka", "Kafka"),
                ("RabbitMQ", "RabbitMQ", "RabbitMQ"), ("ERP", "ERP", "ERP"), ("Git", "Git", "Git"),
                ("Linux", "Linux", "Linux"), ("Microservices", "微服务", "microservices")),
        required=11, preferred=1, base=2,
        off_target=(("Java", "Java", "Java"), ("Spring Boot", "Spring Boot", "Spring Boot")),
        duties=(_d("负责多租户SaaS订单与库存服务的设计与开发，日均API调用量200万次。",
                   "Designed and built multi-tenant order and inventory services; 2M API calls a day."),
                _d("基于Django和PostgreSQL重构报表模块，慢查询减少80%。",
                   "Rebuilt the reporting module on Django and PostgreSQL; 80% fewer slow queries.",
                   "Django", "PostgreSQL"),
                _d("引入Redis缓存与Kafka异步消息，峰值吞吐量提升3倍。",
                   "Introduced Redis caching and Kafka messaging; peak throughput up 3x.", "Redis", "Kafka"),
                _d("使用Docker和K8s搭建持续部署流程，发布时间从1小时缩短到10分钟。",
                   "Set up continuous deployment with Docker and Kubernetes; releases from 1 hour to 10 minutes.",
                   "Docker", "Kubernetes"),
                _d("参与代码评审，指导3名初级工程师。", "Reviewed code and mentored 3 junior engineers.")),
        majors=(("计算机科学与技术", "Computer Science"), ("软件工程", "Software Engineering"),
                ("电子信息工程", "Electronic Information Engineering")),
        certificates=(("软件设计师（中级）", "Software Designer (intermediate)"),
                      ("阿里云ACP认证", "Alibaba Cloud ACP")),
        english=0.35, degrees=("bachelor", "bachelor", "master"),
    ),
    _Profile(
        job="客户成功专员", slug="customer-success",
        titles=(("客户成功专员", "Customer Success Specialist"), ("客服专员", "Customer Service Representative"),
                ("实施顾问", "Implementation Consultant")),
        skills=(("Customer Service", "客户服务", "customer service"), ("WeCom", "企业微信", "WeCom"),
                ("ERP", "ERP系统", "ERP"), ("Excel", "Excel", "Excel"),
                ("Communication", "沟通能力", "communication skills"), ("CRM", "CRM系统", "CRM"),
                ("Kingdee", "金蝶", "Kingdee")),
        required=3, preferred=0, base=1,
        off_target=(("DingTalk", "钉钉", "DingTalk"), ("Telesales", "电话销售", "telesales")),
        duties=(_d("负责80家中小企业客户的日常服务与回访，客户满意度96%。",
                   "Served and followed up 80 SME accounts; 96% customer satisfaction."),
                _d("通过企业微信和远程会议指导客户使用ERP系统。",
                   "Trained customers on the ERP system over WeCom and video calls.", "WeCom", "ERP"),
                _d("整理客户问题并提交工单，跟进到解决。", "Logged customer issues as tickets and followed them up."),
                _d("每月用Excel统计账号活跃度，识别续费风险。",
                   "Tracked account activity in Excel each month to flag renewal risks.", "Excel")),
        majors=(("工商管理", "Business Administration"), ("计算机应用技术", "Computer Applications"),
                ("电子商务", "E-commerce")),
        certificates=(("普通话二级甲等", "Mandarin proficiency 2A"),),
        english=0.1, degrees=("associate", "bachelor", "associate", "bachelor"), junior=True,
    ),
    _Profile(
        job="数据分析师", slug="data-analyst",
        titles=(("数据分析师", "Data Analyst"), ("商业分析师", "Business Analyst"), ("数据专员", "Data Specialist")),
        skills=(("Data Analysis", "数据分析", "data analysis"), ("SQL", "SQL", "SQL"), ("Python", "Python", "Python"),
                ("Pandas", "pandas", "pandas"), ("Statistics", "统计学", "statistics"),
                ("Tableau", "Tableau", "Tableau"), ("Power BI", "Power BI", "Power BI"),
                ("A/B Testing", "A/B测试", "A/B testing"), ("ERP", "ERP", "ERP"), ("Agile", "敏捷", "agile"),
                ("Hive", "Hive", "Hive"), ("Data Visualization", "数据可视化", "data visualization")),
        required=8, preferred=2, base=2,
        off_target=(("Excel", "Excel", "Excel"), ("SPSS", "SPSS", "SPSS")),
        duties=(_d("搭建用户活跃、留存与续费指标体系，统一数据口径。",
                   "Built the activity, retention and renewal metrics with one agreed definition."),
                _d("使用SQL和Python（pandas）完成专题分析，推动流失率下降12%。",
                   "Ran deep dives in SQL and Python (pandas) that cut churn by 12%.", "SQL", "Python", "Pandas"),
                _d("设计并分析A/B测试，评估新功能效果。",
                   "Designed and analysed A/B tests of new features.", "A/B Testing"),
                _d("维护Tableau和Power BI经营看板，服务销售与产品团队。",
                   "Maintained Tableau and Power BI dashboards for sales and product.", "Tableau", "Power BI")),
        majors=(("统计学", "Statistics"), ("数学与应用数学", "Mathematics"), ("经济学", "Economics")),
        certificates=(("CDA数据分析师（二级）", "CDA Data Analyst (level II)"),),
        english=0.4,
    ),
    _Profile(
        job="产品经理", slug="product-manager",
        titles=(("产品经理", "Product Manager"), ("产品助理", "Product Assistant"),
                ("需求分析师", "Business Requirements Analyst")),
        skills=(("Requirements Analysis", "需求分析", "requirements analysis"), ("Axure", "Axure", "Axure"),
                ("ERP", "ERP", "ERP"), ("Supply Chain Management", "供应链", "supply chain"),
                ("Modao", "墨刀", "Modao"), ("Figma", "Figma", "Figma"), ("Agile", "敏捷开发", "agile"),
                ("Cross-functional Coordination", "跨部门协作", "cross-functional collaboration"),
                ("Production Planning", "生产管理", "production planning"), ("Jira", "Jira", "Jira"),
                ("Project Management", "项目管理", "project management")),
        required=8, preferred=1, base=2,
        off_target=(("Photoshop", "Photoshop", "Photoshop"), ("Xiaohongshu", "小红书运营", "Xiaohongshu")),
        duties=(_d("负责MES生产工单与BOM模块的规划，撰写PRD 40余份。",
                   "Planned the MES work-order and BOM modules; wrote 40+ PRDs.", "Requirements Analysis"),
                _d("走访长三角30余家制造企业，梳理供应链与车间业务流程。",
                   "Visited 30+ factories in the Yangtze River Delta to map supply chain and shop-floor processes.",
                   "Supply Chain Management"),
                _d("协同研发按双周敏捷开发迭代交付，需求按期交付率95%。",
                   "Shipped in two-week agile sprints with engineering; 95% of features on time.", "Agile"),
                _d("跟踪上线功能的使用数据和客户反馈，持续优化体验。",
                   "Tracked usage data and customer feedback after each release.")),
        majors=(("工业工程", "Industrial Engineering"), ("信息管理与信息系统", "Information Systems"),
                ("计算机科学与技术", "Computer Science")),
        certificates=(("NPDP产品经理国际资格认证", "NPDP"), ("PMP", "PMP")),
        english=0.25,
    ),
    _Profile(
        job="人力资源专员", slug="hr-specialist",
        titles=(("人力资源专员", "HR Specialist"), ("招聘专员", "Recruiter"), ("人事助理", "HR Assistant")),
        skills=(("Recruitment", "招聘", "recruiting"), ("Excel", "Excel", "Excel"),
                ("Social Insurance", "社保公积金", "social insurance"), ("Labor Law", "劳动合同法", "labor law"),
                ("Communication", "沟通能力", "communication skills"), ("Onboarding", "入离职", "onboarding"),
                ("HRIS", "HR系统", "HRIS"), ("Employee Relations", "员工关系", "employee relations"),
                ("Beisen", "北森", "Beisen")),
        required=5, preferred=2, base=2,
        off_target=(("Payroll", "薪资核算", "payroll"), ("DingTalk", "钉钉", "DingTalk")),
        duties=(_d("负责研发与销售岗位的社会招聘，年均到岗60人。",
                   "Hired for engineering and sales roles, about 60 people a year.", "Recruitment"),
                _d("办理入离职、转正与调岗手续，维护员工档案。",
                   "Handled onboarding, confirmations, transfers and leavers; kept employee files.", "Onboarding"),
                _d("负责社保公积金增减员及年度基数调整。",
                   "Ran social insurance enrolments and the yearly base adjustment.", "Social Insurance"),
                _d("每月用Excel核对考勤与薪资基础数据。",
                   "Checked attendance and payroll inputs in Excel every month.", "Excel")),
        majors=(("人力资源管理", "Human Resource Management"), ("行政管理", "Public Administration"),
                ("心理学", "Psychology")),
        certificates=(("企业人力资源管理师（三级）", "Certified HR Manager (level 3)"),),
        english=0.15, junior=True,
    ),
)
_FITS = ("strong", "partial", "strong", "weak", "partial", "strong", "partial", "strong", "partial", "weak")
