# downstream-ddb.gp, written by mrb-analyze: run gnuplot downstream-ddb.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'downstream-ddb.png'
set title 'DynamoDB call latency (X-Ray client)'
set xlabel 'runtime'
set ylabel 'ms'
set grid
set style fill solid 0.4 border
set boxwidth 0.5
set key right top
set xrange [-0.5:3.5]
set xtics ('go (n=25)' 0, 'kotlin (n=25)' 1, 'python (n=25)' 2, 'typescript (n=25)' 3)
plot 'downstream-ddb.dat' index 0 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#2ca02c' notitle, 'downstream-ddb.dat' index 0 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'downstream-ddb.dat' index 1 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#9467bd' notitle, 'downstream-ddb.dat' index 1 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'downstream-ddb.dat' index 2 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#1f77b4' notitle, 'downstream-ddb.dat' index 2 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'downstream-ddb.dat' index 3 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#ff7f0e' notitle, 'downstream-ddb.dat' index 3 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle
set terminal svg size 900,500
set termoption noenhanced
set output 'downstream-ddb.svg'
replot
unset output
