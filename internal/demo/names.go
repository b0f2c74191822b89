package demo

// Name material for invented people. Surnames are the common ones of north-east
// China; a share of names are Mongolian, Daur or Ewenki style, as is usual in
// Hulunbuir.
var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
	"何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁",
	"邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶",
	"阎", "潘", "杜", "戴", "夏", "钟", "田", "任", "姜", "范", "方", "石", "姚", "谭", "邹", "金",
	"陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "史", "顾", "侯", "邵", "孟", "常", "武",
	"乔", "贺", "尹", "付", "关", "鲍", "佟", "那", "敖", "鄂", "包", "吴", "孟", "何", "涂",
	"王", "李", "张", "刘", "王", "李", "张", "刘", "陈", "杨", "赵", "孙", "高",
}

var givenSingle = []string{
	"伟", "强", "军", "磊", "勇", "涛", "明", "超", "斌", "海", "鹏", "波", "刚", "辉", "杰", "峰",
	"亮", "宇", "浩", "凯", "健", "平", "东", "林", "华", "鑫", "龙", "彬", "静", "丽", "敏", "燕",
}

var givenFirst = []string{
	"建", "国", "立", "永", "志", "晓", "卫", "春", "海", "振", "德", "宏", "文", "庆", "学", "长",
	"玉", "俊", "云", "忠", "洪", "继", "延", "兴", "新", "占", "树", "凤", "丽", "红", "秀", "雪",
}

var givenSecond = []string{
	"军", "华", "民", "明", "东", "平", "伟", "刚", "波", "林", "峰", "江", "生", "忠", "新", "成",
	"武", "杰", "山", "龙", "国", "辉", "宇", "涛", "亮", "超", "彬", "梅", "霞", "英", "玲", "娟",
}

// Mongolian/Daur/Ewenki given names, used with or without a surname.
var steppeNames = []string{
	"巴特尔", "乌力吉", "额尔敦", "那日苏", "苏和", "朝鲁", "孟和", "宝音", "毕力格", "阿拉坦",
	"斯琴", "其木格", "乌云", "吉日嘎拉", "额尔德木图", "图门", "哈斯", "达来", "特木尔", "敖敦",
	"巴雅尔", "呼和", "桑布", "旭日", "阿木尔", "额尔很", "达瓦", "格日勒", "宝力高", "满都拉",
}

// names hands out unique person names.
type names struct {
	r    *rng
	used map[string]bool
}

func newNames(r *rng) *names { return &names{r: r, used: map[string]bool{}} }

func (n *names) next() string {
	for {
		var s string
		switch x := n.r.intn(100); {
		case x < 6:
			s = steppeNames[n.r.intn(len(steppeNames))]
		case x < 12:
			s = []string{"包", "白", "敖", "鄂", "何", "吴", "郭"}[n.r.intn(7)] + steppeNames[n.r.intn(len(steppeNames))]
		case x < 40:
			s = surnames[n.r.intn(len(surnames))] + givenSingle[n.r.intn(len(givenSingle))]
		default:
			a, b := givenFirst[n.r.intn(len(givenFirst))], givenSecond[n.r.intn(len(givenSecond))]
			if a == b {
				continue
			}
			s = surnames[n.r.intn(len(surnames))] + a + b
		}
		if !n.used[s] {
			n.used[s] = true
			return s
		}
	}
}
