# ddb-item-size.gp, written by mrb-analyze: run gnuplot ddb-item-size.gp here to redraw
set terminal pngcairo size 900,500
set termoption noenhanced
set output 'ddb-item-size.png'
set title 'DynamoDB item size'
set xlabel 'runtime'
set ylabel 'bytes'
set grid
set style fill solid 0.4 border
set boxwidth 0.5
set key right top
set xrange [-0.5:4.5]
set xtics ('go (n=3)' 0, 'kotlin (n=8)' 1, 'python (n=8)' 2, 'typescript (n=4)' 3, 'unattributed (n=2)' 4)
plot 'ddb-item-size.dat' index 0 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#2ca02c' notitle, 'ddb-item-size.dat' index 0 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'ddb-item-size.dat' index 1 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#9467bd' notitle, 'ddb-item-size.dat' index 1 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'ddb-item-size.dat' index 2 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#1f77b4' notitle, 'ddb-item-size.dat' index 2 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'ddb-item-size.dat' index 3 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#ff7f0e' notitle, 'ddb-item-size.dat' index 3 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     'ddb-item-size.dat' index 4 using 1:3:2:6:5 with candlesticks whiskerbars lc rgb '#d62728' notitle, 'ddb-item-size.dat' index 4 using 1:4:4:4:4 with candlesticks lw 2 lc rgb '#000000' notitle, \
     1024 with lines dt 2 lw 1.5 lc rgb '#444444' title '1 KB (1 WRU)'
set terminal svg size 900,500
set termoption noenhanced
set output 'ddb-item-size.svg'
replot
unset output
